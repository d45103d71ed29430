package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.plugin.lua.lib.LuaArgs;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.http.HttpReasons;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.service.HttpServiceExchange;
import io.luagate.spi.service.TcpServiceExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** HAProxy's AppletHTTP and AppletTCP: what a Lua service talks to. */
public final class AppletApi {

    /** The state of one HTTP service call: its response under construction, and the request body unread. */
    public static final class HttpApplet implements RequestBound {
        final HttpServiceExchange exchange;
        final LuaCall call;
        final AppletInput input;
        int status = 200;
        String reason;
        final List<Map.Entry<String, String>> headers = new ArrayList<>();

        public HttpApplet(HttpServiceExchange exchange, LuaCall call) {
            this.exchange = exchange;
            this.call = call;
            this.input = new AppletInput(call, exchange::reading);
        }

        /** Where the service's exchange delivers what the client sends. */
        public HttpServiceExchange.BodyReceiver receiver() {
            return input;
        }

        @Override
        public Transaction request() {
            return exchange.transaction();
        }
    }

    /** The state of one TCP service call: bytes received and not yet read by the script. */
    public static final class TcpApplet implements RequestBound {
        final TcpServiceExchange exchange;
        final LuaCall call;
        final AppletInput input;

        public TcpApplet(TcpServiceExchange exchange, LuaCall call) {
            this.exchange = exchange;
            this.call = call;
            this.input = new AppletInput(call, exchange::reading);
        }

        /** Where the service's exchange delivers what the client sends. */
        public TcpServiceExchange.Receiver receiver() {
            return input;
        }

        @Override
        public Transaction request() {
            return exchange.transaction();
        }
    }

    private final SampleBridge samples;
    private final LuaClass httpClass = new LuaClass("AppletHTTP", HttpApplet.class);
    private final LuaClass tcpClass = new LuaClass("AppletTCP", TcpApplet.class);

    AppletApi(SampleBridge samples) {
        this.samples = samples;
        httpClass.<HttpApplet>method("set_status", (a, v) -> {
            long status = LuaArgs.checkInteger(v, 1, "set_status");
            LuaString reason = LuaArgs.optString(v, 2, "set_status", null);
            if (status < 100 || status > 599) {
                return LuaValue.FALSE;
            }
            a.status = (int) status;
            a.reason = reason == null ? null : Values.text(reason);
            return LuaValue.TRUE;
        });
        httpClass.<HttpApplet>method("add_header", (a, v) -> {
            String name = HeaderArgs.name(Values.text(LuaArgs.checkString(v, 1, "add_header")), "add_header");
            a.headers.add(Map.entry(name, HeaderArgs.value(name, Values.text(LuaArgs.checkString(v, 2, "add_header")), "add_header")));
            return LuaValue.NONE;
        });
        httpClass.<HttpApplet>method("start_response", (a, v) -> {
            if (!a.exchange.started()) {
                // Without a reason HAProxy writes its own phrase for the status, as for txn:reply.
                // Writes to the client: on the loop's thread (LuaCall.onLoop), in order with the loop's own.
                a.call.onLoop(() -> a.exchange.start(a.status, a.reason == null ? HttpReasons.of(a.status) : a.reason, a.headers));
            }
            return LuaValue.NONE;
        });
        httpClass.<HttpApplet>method("send", (a, v) -> {
            if (!a.exchange.started()) {
                throw new LuaError("Lua: 'send' you must call start_response() before sending data.");
            }
            byte[] data = httpSendData(v);
            if (!a.call.fromLoop(() -> a.exchange.write(data))) {
                a.call.suspend(resume -> a.exchange.onWritable(resume));
            }
            return LuaValue.NONE;
        });
        httpClass.<HttpApplet>method("receive", (a, v) -> receive(a.input, v));
        httpClass.<HttpApplet>method("getline", (a, v) -> LuaValue.valueOf(a.input.line()));
        httpClass.<HttpApplet>method("set_var", (a, v) -> LuaValue.valueOf(TxnApi.Variables.set(a.exchange.transaction(), v)));
        httpClass.<HttpApplet>method("get_var", (a, v) -> TxnApi.Variables.get(a.exchange.transaction(), v));
        httpClass.<HttpApplet>method("unset_var", (a, v) -> LuaValue.valueOf(TxnApi.Variables.unset(a.exchange.transaction(), v)));
        httpClass.<HttpApplet>method("set_priv", (a, v) -> setPriv(a.exchange.transaction(), a.call, v));
        httpClass.<HttpApplet>method("get_priv", (a, v) -> getPriv(a.exchange.transaction(), a.call));

        tcpClass.<TcpApplet>method("receive", (a, v) -> receive(a.input, v));
        tcpClass.<TcpApplet>method("getline", (a, v) -> LuaValue.valueOf(a.input.line()));
        tcpClass.<TcpApplet>method("send", (a, v) -> {
            ApiArgs.methodCount(v, 2, "send");
            byte[] data = Values.bytes(LuaArgs.checkString(v, 1, "send"));
            if (!a.call.fromLoop(() -> a.exchange.write(data))) {
                a.call.suspend(resume -> a.exchange.onWritable(resume));
            }
            return LuaValue.NONE;
        });
        tcpClass.<TcpApplet>method("set_var", (a, v) -> LuaValue.valueOf(TxnApi.Variables.set(a.exchange.transaction(), v)));
        tcpClass.<TcpApplet>method("get_var", (a, v) -> TxnApi.Variables.get(a.exchange.transaction(), v));
        tcpClass.<TcpApplet>method("unset_var", (a, v) -> LuaValue.valueOf(TxnApi.Variables.unset(a.exchange.transaction(), v)));
        tcpClass.<TcpApplet>method("set_priv", (a, v) -> setPriv(a.exchange.transaction(), a.call, v));
        tcpClass.<TcpApplet>method("get_priv", (a, v) -> getPriv(a.exchange.transaction(), a.call));
    }

    /**
     * {@code receive()}: all until the end; {@code receive(n)}: n bytes, fewer only at the end.
     * As HAProxy: at most one argument, which must be an integer when given (nil included).
     */
    private static LuaValue receive(AppletInput input, Varargs v) {
        if (v.narg() > 1) {
            throw new LuaError("The 'recv' function requires between 1 and 2 arguments.");
        }
        if (v.narg() == 0) {
            return LuaValue.valueOf(input.all());
        }
        long n = LuaArgs.checkInteger(v, 1, "receive");
        return LuaValue.valueOf(n < 0 ? input.all() : input.exactly((int) Math.min(n, Integer.MAX_VALUE)));
    }

    /**
     * The bytes AppletHTTP's {@code send} writes, with HAProxy's argument handling: it reads the
     * count of bytes already sent from the argument after the data (its own counter when there is
     * none), so {@code send()} fails on that number, and {@code send(s, n)} writes {@code s} from
     * byte {@code n} on.
     */
    private static byte[] httpSendData(Varargs v) {
        if (v.narg() == 0) {
            throw LuaArgs.typeError(v, 2, "send", "number");
        }
        long sent = v.narg() >= 2 ? LuaArgs.checkInteger(v, 2, "send") : 0;
        LuaString data = LuaArgs.checkString(v, 1, "send");
        if (sent <= 0) {
            return Values.bytes(data);
        }
        int from = (int) Math.min(sent, data.length());
        byte[] out = new byte[data.length() - from];
        data.copyInto(from, out, 0, out.length);
        return out;
    }

    /**
     * An applet's {@code set_priv}: the stream's private value exists only when Lua ran on the
     * stream before the service (an action, a fetch, a converter, a filter: HAProxy's stream Lua
     * context); without it the call does nothing, and checks nothing, as in HAProxy.
     */
    private static Varargs setPriv(Transaction txn, LuaCall call, Varargs v) {
        if (TxnContext.hasContext(txn, call.state())) {
            ApiArgs.methodCount(v, 2, "set_priv");
            TxnContext.priv(txn, call.state(), v.arg1());
        }
        return LuaValue.NONE;
    }

    /** An applet's {@code get_priv}: nil without the stream's Lua context; no argument check. */
    private static LuaValue getPriv(Transaction txn, LuaCall call) {
        return TxnContext.hasContext(txn, call.state()) ? TxnContext.priv(txn, call.state()) : LuaValue.NIL;
    }

    /** The AppletHTTP object of one service call. */
    public LuaTable http(HttpApplet applet) {
        LuaTable t = httpClass.wrap(applet);
        Transaction txn = applet.exchange.transaction();
        samples.attachToService(t, txn);
        HttpHead request = txn.request();
        t.rawset("method", Values.lua(request.method()));
        // The token as parsed, "HTTP/1.1" or "HTTP/1.0", as HAProxy 2.6.12 gives it.
        t.rawset("version", Values.lua(request.version()));
        t.rawset("path", Values.lua(request.path()));
        t.rawset("qs", Values.lua(request.query() == null ? "" : request.query()));
        // HAProxy's length: the body bytes announced (content-length); unknown for a chunked body.
        String length = request.header("content-length");
        t.rawset("length", LuaValue.valueOf(length == null ? 0 : parseLength(length)));
        t.rawset("headers", TxnApi.headers(request));
        return t;
    }

    private static double parseLength(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The AppletTCP object of one service call. */
    public LuaTable tcp(TcpApplet applet) {
        LuaTable t = tcpClass.wrap(applet);
        samples.attachToService(t, applet.exchange.transaction());
        return t;
    }
}
