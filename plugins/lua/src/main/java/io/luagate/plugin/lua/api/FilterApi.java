package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.lib.LuaArgs;
import io.luagate.spi.filter.HttpMessage;
import io.luagate.spi.http.HttpHead;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * HAProxy's filter API for one state: the {@code filter} global, the HTTPMessage class and the
 * Channel objects filter callbacks get.
 */
public final class FilterApi {

    /** The key under which a filter instance table keeps its Java side, as HAProxy keeps {@code __filter}. */
    public static final String HANDLE_KEY = "__filter";

    private final LuaClass messageClass = new LuaClass("HTTPMessage", FilterMessage.class);
    private final LuaClass channelClass = new LuaClass("Channel", Boolean.class);
    /** The filter whose callback runs on this thread now: callbacks run to completion, never across threads. */
    private static final ThreadLocal<FilterHandle> CURRENT = new ThreadLocal<>();

    static {
        io.luagate.plugin.lua.engine.FiberLocals.carry(CURRENT);
    }

    FilterApi() {
        installChannel();
        installMessage();
    }

    /** The filter whose callback runs now on this thread, or {@code null} after it. */
    public static void current(FilterHandle handle) {
        if (handle == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(handle);
        }
    }

    /** A Channel object of a filter callback: HTTP streams allow only its state queries, as in HAProxy. */
    public LuaTable channel(boolean response) {
        return channelClass.wrap(response);
    }

    /** An HTTPMessage object; its {@code channel} field is {@code channel}, the direction's Channel. */
    public LuaTable message(FilterMessage message, LuaValue channel) {
        LuaTable table = messageClass.wrap(message);
        table.rawset("channel", channel);
        return table;
    }

    /** The {@code filter} global. */
    LuaTable global() {
        LuaTable filter = new LuaTable();
        filter.set("CONTINUE", LuaValue.valueOf(1));
        filter.set("WAIT", LuaValue.valueOf(0));
        filter.set("ERROR", LuaValue.valueOf(-1));
        filter.set("FLT_CFG_FL_HTX", LuaValue.valueOf(1));
        filter.set("wake_time", fn(a -> {
            LuaArgs.guardNumber(a, 1, "wake_time");
            long millis = a.checklong(1);
            FilterHandle current = CURRENT.get();
            if (current == null) {
                throw new LuaError("filter.wake_time: only from a filter callback");
            }
            current.wakeTime(millis);
            return LuaValue.NONE;
        }));
        filter.set("register_data_filter", fn(a -> dataFilter(a, true, "register_data_filter")));
        filter.set("unregister_data_filter", fn(a -> dataFilter(a, false, "unregister_data_filter")));
        return filter;
    }

    private Varargs dataFilter(Varargs a, boolean on, String function) {
        LuaValue handle = a.checktable(1).rawget(HANDLE_KEY);
        if (!handle.isuserdata(FilterHandle.class)) {
            throw new LuaError("filter." + function + ": argument #1 must be a filter instance (the 'self' of a callback)");
        }
        // Any Channel object: the TXN's (txn.req / txn.res) or a filter's own.
        LuaValue isResp = a.arg(2).istable() ? a.arg(2).get("is_resp") : LuaValue.NIL;
        if (!isResp.isfunction()) {
            throw new LuaError("filter." + function + ": argument #2 must be a Channel");
        }
        FilterHandle filter = (FilterHandle) handle.touserdata();
        RequestBound.checkLive(filter, "filter", "filter." + function);
        boolean response = isResp.call(a.arg(2)).toboolean();
        filter.dataFilter(response, on);
        return LuaValue.NONE;
    }

    private void installChannel() {
        channelClass.<Boolean>method("is_resp", (r, a) -> LuaValue.valueOf(r));
        channelClass.<Boolean>method("input", (r, a) -> LuaValue.valueOf(0));
        channelClass.<Boolean>method("output", (r, a) -> LuaValue.valueOf(0));
        channelClass.<Boolean>method("may_recv", (r, a) -> LuaValue.TRUE);
        channelClass.<Boolean>method("is_full", (r, a) -> LuaValue.FALSE);
        for (String name : new String[] {"data", "line", "set", "remove", "append", "prepend", "insert", "send",
                "forward", "get", "dup", "getline", "get_in_len", "get_out_len"}) {
            channelClass.<Boolean>method(name, (r, a) -> {
                throw new LuaError("Cannot manipulate HAProxy channels in HTTP mode.");
            });
        }
    }

    private void installMessage() {
        messageClass.<FilterMessage>method("is_resp", (m, a) -> LuaValue.valueOf(m.response()));
        messageClass.<FilterMessage>method("get_stline", (m, a) -> startLine(head(m, "get_stline"), m.response()));
        messageClass.<FilterMessage>method("get_headers", (m, a) -> TxnApi.headers(head(m, "get_headers")));
        messageClass.<FilterMessage>method("add_header", (m, a) -> {
            String name = HeaderArgs.name(Values.text(a, 1), "add_header");
            head(m, "add_header").addHeader(name, HeaderArgs.value(name, Values.anyText(a.arg(2)), "add_header"));
            return LuaValue.NONE;
        });
        messageClass.<FilterMessage>method("set_header", (m, a) -> {
            String name = HeaderArgs.name(Values.text(a, 1), "set_header");
            head(m, "set_header").setHeader(name, HeaderArgs.value(name, Values.anyText(a.arg(2)), "set_header"));
            return LuaValue.NONE;
        });
        messageClass.<FilterMessage>method("del_header", (m, a) -> {
            head(m, "del_header").removeHeader(Values.text(a, 1));
            return LuaValue.NONE;
        });
        messageClass.<FilterMessage>method("rep_header", (m, a) -> {
            TxnApi.replace(head(m, "rep_header"), a, false);
            return LuaValue.NONE;
        });
        messageClass.<FilterMessage>method("rep_value", (m, a) -> {
            TxnApi.replace(head(m, "rep_value"), a, true);
            return LuaValue.NONE;
        });
        messageClass.<FilterMessage>method("set_method", (m, a) -> {
            String method = Values.text(a, 1);
            request(m, "set_method").setMethod(method);
            return LuaValue.TRUE;
        });
        messageClass.<FilterMessage>method("set_path", (m, a) -> {
            String path = Values.text(a, 1);
            HttpHead head = request(m, "set_path");
            String query = head.query();
            head.setUri(path + (query == null ? "" : "?" + query));
            return LuaValue.TRUE;
        });
        // HAProxy puts the '?' even before an empty query.
        messageClass.<FilterMessage>method("set_query", (m, a) -> {
            String query = Values.text(a, 1);
            HttpHead head = request(m, "set_query");
            head.setUri(head.path() + "?" + query);
            return LuaValue.TRUE;
        });
        messageClass.<FilterMessage>method("set_uri", (m, a) -> {
            String uri = Values.text(a, 1);
            request(m, "set_uri").setUri(uri);
            return LuaValue.TRUE;
        });
        messageClass.<FilterMessage>method("set_status", (m, a) -> {
            LuaArgs.guardNumber(a, 1, "set_status");
            int status = a.checkint(1);
            String reason = Values.optText(a, 2, null);
            if (!m.response()) {
                throw new LuaError("HTTPMessage.set_status: the request has no status");
            }
            head(m, "set_status").setStatus(status, reason);
            return LuaValue.TRUE;
        });
        messageClass.<FilterMessage>method("is_full", (m, a) -> LuaValue.FALSE);
        messageClass.<FilterMessage>method("may_recv", (m, a) -> LuaValue.valueOf(!eom(m)));
        messageClass.<FilterMessage>method("eom", (m, a) -> LuaValue.valueOf(eom(m)));
        // HAProxy's EOM flag of the message: eom() and may_recv() follow it, the codec's end stays.
        messageClass.<FilterMessage>method("set_eom", (m, a) -> {
            m.window().eom(true);
            return LuaValue.NONE;
        });
        messageClass.<FilterMessage>method("unset_eom", (m, a) -> {
            m.window().eom(false);
            return LuaValue.NONE;
        });
        messageClass.<FilterMessage>method("input", (m, a) -> LuaValue.valueOf(switch (m.stage()) {
            case HEADERS -> MessageWindow.headBytes(m.head(), m.response());
            case PAYLOAD -> input(m);
            case END -> m.window().leftover();
        }));
        messageClass.<FilterMessage>method("output", (m, a) ->
                LuaValue.valueOf(m.stage() == FilterMessage.Stage.HEADERS ? 0 : m.window().output()));
        messageClass.<FilterMessage>method("body", (m, a) -> {
            HttpMessage body = payload(m, "body");
            int size = input(m);
            int offset = offset(a, 1, size);
            int length = length(a, 2, size - offset, true);
            // HAProxy gives nil for no data, wherever it is asked.
            return length == 0 ? LuaValue.NIL : LuaValue.valueOf(body.read(at(m, offset), length));
        });
        messageClass.<FilterMessage>method("set", (m, a) -> {
            byte[] data = Values.bytes(a.checkstring(1));
            payload(m, "set");
            int size = input(m);
            int offset = offset(a, 2, size);
            return replace(m, offset, length(a, 3, size - offset, false), data);
        });
        messageClass.<FilterMessage>method("remove", (m, a) -> {
            payload(m, "remove");
            int size = input(m);
            int offset = offset(a, 1, size);
            int length = length(a, 2, size - offset, false);
            return LuaValue.valueOf(change(m, offset, length, new byte[0]) ? length : 0);
        });
        messageClass.<FilterMessage>method("append", (m, a) -> {
            byte[] data = Values.bytes(a.checkstring(1));
            payload(m, "append");
            return replace(m, input(m), 0, data);
        });
        messageClass.<FilterMessage>method("prepend", (m, a) -> {
            byte[] data = Values.bytes(a.checkstring(1));
            payload(m, "prepend");
            return replace(m, 0, 0, data);
        });
        messageClass.<FilterMessage>method("insert", (m, a) -> {
            byte[] data = Values.bytes(a.checkstring(1));
            payload(m, "insert");
            return replace(m, offset(a, 2, input(m)), 0, data);
        });
        // The data goes in before the input and becomes output: input() stays as it was.
        messageClass.<FilterMessage>method("send", (m, a) -> {
            byte[] data = Values.bytes(a.checkstring(1));
            payload(m, "send");
            if (data.length == 0) {
                return LuaValue.valueOf(0);
            }
            if (!change(m, 0, 0, data)) {
                return LuaValue.valueOf(-1);
            }
            m.window().advance(data.length);
            return LuaValue.valueOf(data.length);
        });
        // A negative count is all of the input, as HAProxy's unsigned comparison makes it.
        messageClass.<FilterMessage>method("forward", (m, a) -> {
            LuaArgs.guardNumber(a, 1, "forward");
            int bytes = a.checkint(1);
            payload(m, "forward");
            int size = input(m);
            int forwarded = bytes < 0 || bytes > size ? size : bytes;
            m.window().advance(forwarded);
            return LuaValue.valueOf(forwarded);
        });
    }

    private static LuaTable startLine(HttpHead head, boolean response) {
        LuaTable line = new LuaTable();
        if (response) {
            line.set("version", Values.lua(head.version()));
            line.set("code", LuaValue.valueOf(head.status()));
            String reason = head.reason();
            line.set("reason", Values.lua(reason == null ? "" : reason));
        } else {
            line.set("method", Values.lua(head.method()));
            line.set("uri", Values.lua(head.uri()));
            line.set("version", Values.lua(head.version()));
        }
        return line;
    }

    /** The head, which HAProxy lets a filter read or change in {@code http_headers} only (it has left after). */
    private static HttpHead head(FilterMessage m, String method) {
        if (m.stage() != FilterMessage.Stage.HEADERS) {
            throw new LuaError("HTTPMessage." + method + ": the head has left (only from http_headers)");
        }
        return m.head();
    }

    private static HttpHead request(FilterMessage m, String method) {
        if (m.response()) {
            throw new LuaError("HTTPMessage." + method + ": the response has no request line");
        }
        return head(m, method);
    }

    private static boolean eom(FilterMessage m) {
        Boolean set = m.window().eom();
        if (set != null) {
            return set;
        }
        if (m.stage() == FilterMessage.Stage.HEADERS) {
            // HAProxy: the whole message is in its buffer. Without a body it is; a body still comes.
            return !bodyFollows(m.head(), m.response());
        }
        return m.payload() != null && m.payload().endOfMessage();
    }

    private static boolean bodyFollows(HttpHead head, boolean response) {
        if (head.header("transfer-encoding") != null) {
            return true;
        }
        String length = head.header("content-length");
        if (response) {
            int status = head.status();
            return status >= 200 && status != 204 && status != 304 && !"0".equals(length);
        }
        return length != null && !"0".equals(length.trim());
    }

    /** The input: the part passing now after what this filter forwarded or sent. */
    private static int input(FilterMessage m) {
        return m.payload() == null ? 0 : m.payload().input() - m.window().start();
    }

    /** The part's offset of input offset {@code offset}. */
    private static int at(FilterMessage m, int offset) {
        return m.window().start() + offset;
    }

    /** The body, which HAProxy lets a filter read or change in {@code http_payload} only. */
    private static HttpMessage payload(FilterMessage m, String method) {
        if (m.stage() != FilterMessage.Stage.PAYLOAD || m.payload() == null) {
            throw new LuaError("HTTPMessage." + method + ": no body data passes in this callback (only from http_payload)");
        }
        return m.payload();
    }

    /**
     * HAProxy's offset (argument {@code index}, default 0): from the start of the data passing now,
     * or from its end when negative (no further back than its start); past its end is an error.
     */
    private static int offset(Varargs a, int index, int size) {
        if (a.narg() < index) {
            return 0;
        }
        LuaArgs.guardNumber(a, index, "offset");
        int at = a.checkint(index);
        if (at < 0) {
            at = Math.max(0, size + at);
        }
        if (at > size) {
            throw new LuaError("offset out of range.");
        }
        return at;
    }

    /**
     * HAProxy's length (argument {@code index}): absent or -1 for all of the {@code rest}; other
     * negative values are errors, and so is more than the rest, which only {@code body()} clamps.
     */
    private static int length(Varargs a, int index, int rest, boolean clamp) {
        if (a.narg() < index) {
            return rest;
        }
        LuaArgs.guardNumber(a, index, "length");
        int length = a.checkint(index);
        if (length == -1) {
            return rest;
        }
        if (length < 0 || length > rest && !clamp) {
            throw new LuaError("length out of range.");
        }
        return Math.min(length, rest);
    }

    /** HAProxy's result of a copy: the bytes copied, or -1 when the data cannot go in (see {@link HttpMessage#replace}). */
    private static Varargs replace(FilterMessage m, int offset, int length, byte[] data) {
        return LuaValue.valueOf(change(m, offset, length, data) ? data.length : -1);
    }

    /** Replaces bytes of the input ({@code offset} counts from its start). */
    private static boolean change(FilterMessage m, int offset, int length, byte[] data) {
        return m.payload() != null && m.payload().replace(at(m, offset), length, data);
    }

    private static VarArgFunction fn(java.util.function.Function<Varargs, Varargs> body) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return body.apply(args);
            }
        };
    }
}
