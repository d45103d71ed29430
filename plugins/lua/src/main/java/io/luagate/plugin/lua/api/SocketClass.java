package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.plugin.lua.engine.LuaState;
import io.luagate.plugin.lua.net.Destination;
import io.luagate.plugin.lua.net.LuaSocket;
import io.luagate.plugin.lua.lib.LuaArgs;
import java.lang.ref.Cleaner;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * HAProxy's {@code Socket} class ({@code core.tcp()}, haproxy-lua-api.md §3.13): LuaSocket's client
 * methods over a {@link LuaSocket}. Waits suspend the Lua call; a socket is closed when the call
 * that connected it ends, or when its Lua object is collected.
 */
final class SocketClass {

    /** Closes sockets whose Lua objects were collected (HAProxy closes them on GC too). */
    private static final Cleaner COLLECTED = Cleaner.create(runnable -> {
        Thread thread = new Thread(runnable, "luagate-lua-socket-cleaner");
        thread.setDaemon(true);
        return thread;
    });

    private final LuaState state;
    private final LuaClass socketClass = new LuaClass("Socket", LuaSocket.class);

    SocketClass(LuaState state) {
        this.state = state;
        socketClass.<LuaSocket>method("connect", (s, a) -> connect(s, a, false, "connect"))
                .<LuaSocket>method("connect_ssl", (s, a) -> connect(s, a, true, "connect_ssl"))
                .<LuaSocket>method("send", this::send)
                .<LuaSocket>method("receive", this::receive)
                .<LuaSocket>method("settimeout", (s, a) -> {
                    ApiArgs.methodCount(a, 2, "settimeout");
                    double millis = number(a, 1, "settimeout") * 1000;
                    if (millis < 0) {
                        throw new LuaError("settimeout: cannot set negatives values");
                    }
                    if (millis > Integer.MAX_VALUE) {
                        throw new LuaError("settimeout: cannot set values larger than " + Integer.MAX_VALUE + " ms");
                    }
                    // Millisecond resolution; anything shorter is 1 ms, as in HAProxy.
                    s.timeout(Math.max(1, (long) millis));
                    return LuaValue.valueOf(1);
                })
                .<LuaSocket>method("close", (s, a) -> {
                    ApiArgs.methodCount(a, 1, "close");
                    s.close(state.currentCall(), "close");
                    return LuaValue.NONE;
                })
                .<LuaSocket>method("getpeername", (s, a) -> {
                    ApiArgs.methodCount(a, 1, "getpeername");
                    return name(s.peerName(state.currentCall(), "getpeername"));
                })
                .<LuaSocket>method("getsockname", (s, a) -> {
                    ApiArgs.methodCount(a, 1, "getsockname");
                    return name(s.localName(state.currentCall(), "getsockname"));
                })
                .<LuaSocket>method("setoption", (s, a) -> LuaValue.NONE);
    }

    /** {@code core.tcp()}: a new socket, bound to the running call's loop (or to the first loop that connects it). */
    LuaTable create() {
        LuaCall call = state.currentCall();
        LuaSocket socket = new LuaSocket(call == null ? null : call.loop());
        LuaTable object = socketClass.wrap(socket);
        COLLECTED.register(object, socket::closeLater);
        return object;
    }

    /** HAProxy's checks: connect takes an address and an optional port, connect_ssl exactly both. */
    private Varargs connect(LuaSocket socket, Varargs a, boolean tls, String function) {
        if (tls) {
            ApiArgs.methodCount(a, 3, function);
        } else if (a.narg() < 1) {
            throw new LuaError("connect: need at least 2 arguments");
        }
        String address = Values.text(string(a, 1, function));
        int port = -1;
        if (a.narg() >= 2) {
            long p = integer(a, 2, function);
            if (p < 1 || p > 65535) {
                throw new LuaError(function + ": port " + p + " out of range (1-65535)");
            }
            port = (int) p;
        }
        Destination destination;
        try {
            destination = Destination.parse(address, port);
        } catch (IllegalArgumentException e) {
            throw new LuaError(function + ": cannot use destination address " + e.getMessage());
        }
        LuaCall call = state.currentCall();
        if (call == null) {
            // As in HAProxy: a script body or init function cannot wait, so connect does nothing there.
            return LuaValue.NONE;
        }
        requireYieldable(call, function);
        String error = socket.connect(call, destination, tls, function);
        return error == null ? LuaValue.valueOf(1) : LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(error));
    }

    private Varargs send(LuaSocket socket, Varargs a) {
        ApiArgs.methodCountBetween(a, 2, 4, "send");
        LuaString data = string(a, 1, "send");
        int length = data.length();
        long i = a.isnil(2) ? 1 : integer(a, 2, "send");
        long j = a.isnil(3) ? length : integer(a, 3, "send");
        // string.sub's rules for the range.
        if (i < 0) {
            i = Math.max(length + i + 1, 1);
        } else if (i == 0) {
            i = 1;
        }
        if (j < 0) {
            j = length + j + 1;
        } else if (j > length) {
            j = length;
        }
        LuaCall call = runningCall("send");
        if (i > j) {
            return LuaValue.valueOf(0);
        }
        byte[] slice = new byte[(int) (j - i + 1)];
        data.copyInto((int) (i - 1), slice, 0, slice.length);
        LuaSocket.Sent sent = socket.send(call, slice, "send");
        LuaValue last = LuaValue.valueOf((double) (i - 1 + sent.count()));
        return sent.error() == null ? last : LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(sent.error()), last);
    }

    /**
     * HAProxy's {@code receive([pattern [, prefix]])}: a pattern that is neither a string nor a
     * number reads a line; a prefix, when given, must be a string (nil included).
     */
    private Varargs receive(LuaSocket socket, Varargs a) {
        if (a.narg() > 2) {
            throw new LuaError("The 'receive' function requires between 1 and 3 arguments.");
        }
        int pattern = LuaSocket.LINE;
        LuaValue p = a.arg(1);
        if (p.type() == LuaValue.TSTRING) {
            String text = LuaArgs.jstring(p);
            if (text.equals("*a")) {
                pattern = LuaSocket.ALL;
            } else if (text.equals("*l")) {
                pattern = LuaSocket.LINE;
            } else {
                pattern = size(text);
            }
        } else if (p.type() == LuaValue.TNUMBER) {
            double n = p.todouble();
            // lua_tointeger: a number without an integer value is 0.
            n = LuaArgs.fitsLong(n) ? n : 0;
            if (n < 0) {
                throw new LuaError("Unsupported size.");
            }
            pattern = (int) Math.min(n, Integer.MAX_VALUE);
        }
        LuaValue prefix = a.arg(2);
        if (a.narg() >= 2 && prefix.type() != LuaValue.TSTRING) {
            throw new LuaError("Expect a 'string' for the prefix");
        }
        LuaCall call = runningCall("receive");
        LuaSocket.Received received = socket.receive(call, pattern, "receive");
        LuaValue data = prefix.isnil() ? LuaValue.valueOf(received.data())
                : LuaValue.valueOf(concat(prefix.checkstring(), received.data()));
        return received.error() == null ? data : LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(received.error()), data);
    }

    private static int size(String text) {
        if (!text.isEmpty() && text.length() <= 10 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long n = Long.parseLong(text);
            if (n <= Integer.MAX_VALUE) {
                return (int) n;
            }
        }
        throw new LuaError("Unsupported pattern.");
    }

    private static byte[] concat(LuaString prefix, byte[] data) {
        byte[] out = new byte[prefix.length() + data.length];
        prefix.copyInto(0, out, 0, prefix.length());
        System.arraycopy(data, 0, out, prefix.length(), data.length);
        return out;
    }

    /** The call that may wait for the socket: an action, service or task. */
    private LuaCall runningCall(String function) {
        LuaCall call = state.currentCall();
        if (call == null) {
            throw new LuaError(function + ": only allowed in actions, services and tasks, not in a script body or init function");
        }
        requireYieldable(call, function);
        return call;
    }

    static void requireYieldable(LuaCall call, String function) {
        if (!call.yieldable()) {
            throw new LuaError(function + ": only allowed in actions, services and tasks, not in '" + call.name()
                    + "' (fetches and converters cannot wait)");
        }
    }

    private static LuaValue name(String text) {
        return text == null ? LuaValue.NIL : LuaValue.valueOf(text);
    }

    static LuaString string(Varargs a, int n, String function) {
        LuaValue v = a.arg(n);
        if (!v.isstring()) {
            throw new LuaError("bad argument #" + n + " to '" + function + "' (string expected, got "
                    + (n > a.narg() ? "no value" : v.typename()) + ")");
        }
        return v.strvalue();
    }

    static long integer(Varargs a, int n, String function) {
        double d = number(a, n, function);
        if (d != Math.floor(d) || Double.isInfinite(d)) {
            throw new LuaError("bad argument #" + n + " to '" + function + "' (number has no integer representation)");
        }
        return (long) d;
    }

    static double number(Varargs a, int n, String function) {
        LuaValue v = a.arg(n);
        LuaValue number = LuaArgs.toNumber(v);
        if (number.isnil()) {
            throw new LuaError("bad argument #" + n + " to '" + function + "' (number expected, got "
                    + (n > a.narg() ? "no value" : v.typename()) + ")");
        }
        return number.todouble();
    }
}
