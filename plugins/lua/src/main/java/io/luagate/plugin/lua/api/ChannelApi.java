package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.plugin.lua.engine.LuaState;
import io.luagate.plugin.lua.lib.LuaArgs;
import io.luagate.spi.rule.ChannelBuffer;
import java.util.Arrays;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * HAProxy's Channel class ({@code txn.req}, {@code txn.res}) over the codec's
 * {@link ChannelBuffer}. Offsets count from the start of the input, negative ones from its end.
 * A method that wants more input than arrived suspends the call until more comes, when it is an
 * action that may wait and the rules of that direction still wait for data; otherwise it takes
 * what is there. Argument counts and messages are HAProxy's (which counts {@code self}).
 *
 * <p>Where HAProxy 2.6.0's code and its documentation disagree, the documentation is followed, as
 * HAProxy's later 2.6 releases do: {@code append} adds at the end of the input, {@code insert}
 * without an offset adds in front, {@code data}/{@code line} wait when nothing (or no line)
 * arrived yet and return nil only when nothing can arrive any more.
 */
final class ChannelApi {

    /** One Channel object: a direction's buffer of {@code request}, seen from the state whose call uses it. */
    record Handle(ChannelBuffer buffer, LuaState state, io.luagate.spi.rule.Transaction request) implements RequestBound {
    }

    private final LuaClass channelClass = new LuaClass("Channel", Handle.class);

    ChannelApi() {
        channelClass.<Handle>method("data", ChannelApi::data)
                .<Handle>method("line", ChannelApi::line)
                .<Handle>method("set", ChannelApi::set)
                .<Handle>method("remove", ChannelApi::remove)
                .<Handle>method("append", (h, a) -> {
                    byte[] data = oneString(h, a, "append");
                    return LuaValue.valueOf(h.buffer().append(data));
                })
                .<Handle>method("prepend", (h, a) -> {
                    byte[] data = oneString(h, a, "prepend");
                    return LuaValue.valueOf(h.buffer().prepend(data));
                })
                .<Handle>method("insert", ChannelApi::insert)
                .<Handle>method("send", ChannelApi::send)
                .<Handle>method("forward", ChannelApi::forward)
                .<Handle>method("input", (h, a) -> amount(h, a, "input", true))
                .<Handle>method("output", (h, a) -> amount(h, a, "output", false))
                .<Handle>method("may_recv", (h, a) -> {
                    noArguments(a, "may_recv");
                    return LuaValue.valueOf(h.buffer().mayReceive());
                })
                .<Handle>method("is_full", (h, a) -> {
                    noArguments(a, "is_full");
                    return LuaValue.valueOf(h.buffer().isFull());
                })
                .<Handle>method("is_resp", (h, a) -> {
                    noArguments(a, "is_resp");
                    return LuaValue.valueOf(h.buffer().isResponse());
                })
                // The deprecated names, still registered by HAProxy 2.6.
                .<Handle>method("get", (h, a) -> whole(h, a, "get", true))
                .<Handle>method("dup", (h, a) -> whole(h, a, "dup", false))
                .<Handle>method("getline", ChannelApi::getline)
                .<Handle>method("get_in_len", (h, a) -> amount(h, a, "input", true))
                .<Handle>method("get_out_len", (h, a) -> amount(h, a, "output", false));
    }

    /** A Channel object over {@code buffer} (a TCP filter's passing bytes of {@code request}). */
    LuaTable wrap(ChannelBuffer buffer, LuaState state, io.luagate.spi.rule.Transaction request) {
        return channelClass.wrap(new Handle(buffer, state, request));
    }

    /** The Channel object of one direction of {@code context}'s stream, or nil when it has none. */
    LuaValue wrap(TxnContext context, boolean response) {
        ChannelBuffer buffer = context.txn().channel(response);
        return buffer == null ? LuaValue.NIL : channelClass.wrap(new Handle(buffer, context.state(), context.txn()));
    }

    // ---- reading -----------------------------------------------------------------------------

    /** {@code data([offset [, length]])}: a copy of input bytes; length -1: as many as can come. */
    private static Varargs data(Handle h, Varargs a) {
        if (a.narg() > 2) {
            throw new LuaError("'data' expects at most 2 arguments");
        }
        ChannelBuffer b = raw(h);
        while (true) {
            int input = b.input();
            long offset = a.narg() >= 1 ? offset(a, 1, "data", input) : 0;
            long length = 0;
            if (offset < input) {
                length = input - offset;
                if (a.narg() >= 2) {
                    length = length(a, 2, "data");
                    if (length == 0) {
                        return LuaValue.valueOf("");
                    }
                }
                if (length <= input - offset) {
                    return copy(b, offset, length);
                }
            }
            if (canWait(h)) {
                await(h);
                continue;
            }
            return input == 0 ? LuaValue.NIL : length == 0 ? LuaValue.valueOf("") : copy(b, offset, input - offset);
        }
    }

    /** {@code line([offset [, length]])}: the first line of the input from offset, with its LF. */
    private static Varargs line(Handle h, Varargs a) {
        if (a.narg() > 2) {
            throw new LuaError("'line' expects at most 2 arguments");
        }
        ChannelBuffer b = raw(h);
        boolean lengthGiven = a.narg() >= 2;
        while (true) {
            int input = b.input();
            long offset = a.narg() >= 1 ? offset(a, 1, "line", input) : 0;
            long length = 0;
            if (offset <= input) {
                length = input - offset;
                if (lengthGiven) {
                    length = length(a, 2, "line");
                    if (length == 0) {
                        return LuaValue.valueOf("");
                    }
                }
                long scanned = Math.min(length, input - offset);
                int newline = indexOfNewline(b, offset, scanned);
                if (newline >= 0) {
                    return copy(b, offset, newline - offset + 1);
                }
                if (lengthGiven && length <= input - offset) {
                    return copy(b, offset, length);
                }
            }
            if (canWait(h)) {
                await(h);
                continue;
            }
            return input == 0 ? LuaValue.NIL : length == 0 ? LuaValue.valueOf("") : copy(b, offset, input - offset);
        }
    }

    /** {@code dup()} and {@code get()}: all the input (removed by get), nil when none can come. */
    private static Varargs whole(Handle h, Varargs a, String name, boolean take) {
        noArguments(a, name);
        ChannelBuffer b = raw(h);
        int input = b.input();
        if (input == 0 && !b.mayReceive()) {
            return LuaValue.NIL;
        }
        LuaValue out = copy(b, 0, input);
        if (take) {
            b.remove(0, input);
        }
        return out;
    }

    /** {@code getline()}: takes the first line, waiting for its LF while more can come. */
    private static Varargs getline(Handle h, Varargs a) {
        noArguments(a, "getline");
        ChannelBuffer b = raw(h);
        while (true) {
            int input = b.input();
            if (input == 0 && !b.mayReceive()) {
                return LuaValue.NIL;
            }
            int newline = indexOfNewline(b, 0, input);
            if (newline < 0 && canWait(h)) {
                await(h);
                continue;
            }
            int length = newline < 0 ? input : newline + 1;
            LuaValue out = copy(b, 0, length);
            b.remove(0, length);
            return out;
        }
    }

    /** {@code input()} / {@code output()}: answered in HTTP mode too. */
    private static Varargs amount(Handle h, Varargs a, String name, boolean input) {
        noArguments(a, name);
        return LuaValue.valueOf(input ? h.buffer().input() : h.buffer().output());
    }

    // ---- changing ----------------------------------------------------------------------------

    /** {@code set(string [, offset [, length]])}: replaces input bytes; -1 when there is no room. */
    private static Varargs set(Handle h, Varargs a) {
        if (a.narg() < 1 || a.narg() > 3) {
            throw new LuaError("'set' expects at least 1 argument and at most 3 arguments");
        }
        byte[] data = string(a, 1, "set");
        ChannelBuffer b = raw(h);
        int input = b.input();
        long offset = a.narg() >= 2 ? checkedOffset(a, 2, "set", input) : 0;
        long length = input - offset;
        if (a.narg() == 3) {
            length = rangeLength(a, 3, "set", input - offset);
        }
        return LuaValue.valueOf(b.set((int) offset, (int) length, data));
    }

    /** {@code remove([offset [, length]])}: removes input bytes; returns how many. */
    private static Varargs remove(Handle h, Varargs a) {
        if (a.narg() > 2) {
            throw new LuaError("'remove' expects at most 2 arguments");
        }
        ChannelBuffer b = raw(h);
        int input = b.input();
        long offset = a.narg() >= 1 ? checkedOffset(a, 1, "remove", input) : 0;
        long length = input - offset;
        if (a.narg() == 2) {
            length = rangeLength(a, 2, "remove", input - offset);
        }
        return LuaValue.valueOf(b.remove((int) offset, (int) length));
    }

    /** {@code insert(string [, offset])}: adds bytes in the input, in front by default. */
    private static Varargs insert(Handle h, Varargs a) {
        if (a.narg() < 1 || a.narg() > 2) {
            throw new LuaError("'insert' expects at least 1 argument and at most 2 arguments");
        }
        byte[] data = string(a, 1, "insert");
        ChannelBuffer b = raw(h);
        int input = b.input();
        long offset = a.narg() == 2 ? checkedOffset(a, 2, "insert", input) : 0;
        return LuaValue.valueOf(b.insert((int) offset, data));
    }

    /** {@code send(string)}: to the peer now, ahead of the input; waits for room while it can. */
    private static Varargs send(Handle h, Varargs a) {
        byte[] data = oneString(h, a, "send");
        ChannelBuffer b = h.buffer();
        int sent = 0;
        while (true) {
            byte[] part = sent == 0 ? data : Arrays.copyOfRange(data, sent, data.length);
            int n = onLoop(h, () -> b.send(part));
            if (n < 0) {
                return LuaValue.valueOf(-1);
            }
            sent += n;
            // With nothing waiting to be written, no room will come: take what went.
            if (sent >= data.length || b.output() == 0 || !yieldable(h)) {
                return LuaValue.valueOf(sent);
            }
            await(h);
        }
    }

    /** {@code forward(n)}: lets n input bytes go without inspection, waiting for them while it can. */
    private static Varargs forward(Handle h, Varargs a) {
        if (a.narg() != 1) {
            throw new LuaError("'forward' needs 2 arguments");
        }
        ChannelBuffer b = raw(h);
        long wanted = integer(a, 1, "forward");
        long done = 0;
        while (true) {
            long now = Math.min(wanted - done, b.input());
            if (now > 0) {
                done += onLoop(h, () -> b.forward((int) now));
            }
            if (done >= wanted || !canWait(h)) {
                return LuaValue.valueOf((double) done);
            }
            await(h);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static ChannelBuffer raw(Handle h) {
        if (!h.buffer().rawAccess()) {
            throw new LuaError(ChannelBuffer.HTTP_MODE);
        }
        return h.buffer();
    }

    /** The one string argument of append, prepend and send. */
    private static byte[] oneString(Handle h, Varargs a, String name) {
        if (a.narg() != 1) {
            throw new LuaError("'" + name + "' needs 2 arguments");
        }
        byte[] data = string(a, 1, name);
        raw(h);
        return data;
    }

    private static void noArguments(Varargs a, String name) {
        if (a.narg() != 0) {
            throw new LuaError("'" + name + "' needs 1 arguments");
        }
    }

    /** An offset: negative counts from the end of the input (and stops at its start). */
    private static long offset(Varargs a, int index, String name, int input) {
        long offset = integer(a, index, name);
        return offset < 0 ? Math.max(0, input + offset) : offset;
    }

    /** An offset that must fall inside the input (set, remove, insert). */
    private static long checkedOffset(Varargs a, int index, String name, int input) {
        long offset = offset(a, index, name, input);
        if (offset > input) {
            throw new LuaError("offset out of range.");
        }
        return offset;
    }

    /** A length for data/line: -1 means as much as can come; other negatives are errors. */
    private static long length(Varargs a, int index, String name) {
        long length = integer(a, index, name);
        if (length == -1) {
            return Long.MAX_VALUE;
        }
        if (length < 0) {
            throw new LuaError("length out of range.");
        }
        return length;
    }

    /** A length for set/remove: -1 means to the end; it must fit in what is there. */
    private static long rangeLength(Varargs a, int index, String name, long available) {
        long length = integer(a, index, name);
        if (length == -1) {
            return available;
        }
        if (length < 0 || length > available) {
            throw new LuaError("length out of range.");
        }
        return length;
    }

    /** An integer argument; {@code index} counts from the first one after self, messages count self. */
    private static long integer(Varargs a, int index, String name) {
        LuaValue value = a.arg(index);
        LuaValue number = value.type() == LuaValue.TSTRING ? LuaArgs.toNumber(value) : value;
        if (number.type() != LuaValue.TNUMBER) {
            throw badArgument(index, name, "number expected, got " + (index > a.narg() ? "no value" : value.typename()));
        }
        double d = number.todouble();
        if (d != Math.floor(d) || Math.abs(d) > 0x1p53) {
            throw badArgument(index, name, "number has no integer representation");
        }
        return (long) d;
    }

    private static byte[] string(Varargs a, int index, String name) {
        LuaValue value = a.arg(index);
        if (!value.isstring()) {
            throw badArgument(index, name, "string expected, got " + (index > a.narg() ? "no value" : value.typename()));
        }
        return Values.bytes(value.tostring());
    }

    private static LuaError badArgument(int index, String name, String message) {
        return new LuaError("bad argument #" + (index + 1) + " to '" + name + "' (" + message + ")");
    }

    private static LuaValue copy(ChannelBuffer b, long offset, long length) {
        return LuaValue.valueOf(b.read((int) offset, (int) length));
    }

    /** The input index of the first LF among {@code length} bytes from {@code offset}, or -1. */
    private static int indexOfNewline(ChannelBuffer b, long offset, long length) {
        if (length <= 0) {
            return -1;
        }
        byte[] bytes = b.read((int) offset, (int) length);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return (int) offset + i;
            }
        }
        return -1;
    }

    private static boolean yieldable(Handle h) {
        LuaCall call = h.state().currentCall();
        return call != null && call.yieldable();
    }

    /** Whether the call may wait for more input: an action, and the input may still grow for its rules. */
    private static boolean canWait(Handle h) {
        return yieldable(h) && h.buffer().moreMayCome();
    }

    /** Runs {@code work}, which may write to a connection, on the stream's loop thread ({@link LuaCall#onLoop}). */
    private static int onLoop(Handle h, java.util.function.IntSupplier work) {
        LuaCall call = h.state().currentCall();
        return call == null ? work.getAsInt() : call.fromLoop(work::getAsInt);
    }

    /** Suspends the call until the buffer changes; the loop serves other streams meanwhile. */
    private static void await(Handle h) {
        ChannelBuffer buffer = h.buffer();
        h.state().currentCall().suspend(buffer::onChange);
    }
}
