package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.http.HttpReasons;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.service.HttpServiceExchange;
import io.luagate.spi.service.TcpServiceExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/** HAProxy's AppletHTTP and AppletTCP: what a Lua service talks to. */
public final class AppletApi {

    /** The state of one HTTP service call: its response under construction, and the request body unread. */
    public static final class HttpApplet {
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
    }

    /** The state of one TCP service call: bytes received and not yet read by the script. */
    public static final class TcpApplet {
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
    }

    private final SampleBridge samples;
    private final LuaClass httpClass = new LuaClass("AppletHTTP", HttpApplet.class);
    private final LuaClass tcpClass = new LuaClass("AppletTCP", TcpApplet.class);

    AppletApi(SampleBridge samples) {
        this.samples = samples;
        httpClass.<HttpApplet>method("set_status", (a, v) -> {
            int status = v.checkint(1);
            if (status < 100 || status > 599) {
                return LuaValue.FALSE;
            }
            a.status = status;
            a.reason = Values.optText(v, 2, null);
            return LuaValue.TRUE;
        });
        httpClass.<HttpApplet>method("add_header", (a, v) -> {
            a.headers.add(Map.entry(Values.text(io.luagate.plugin.lua.lib.LuaArgs.checkString(v, 1, "add_header")),
                    Values.text(io.luagate.plugin.lua.lib.LuaArgs.checkString(v, 2, "add_header"))));
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
                throw new LuaError("send: start_response() must be called first");
            }
            byte[] data = Values.bytes(v.checkstring(1));
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
        httpClass.<HttpApplet>method("set_priv", (a, v) -> {
            ApiArgs.methodCount(v, 2, "set_priv");
            TxnContext.priv(a.exchange.transaction(), a.call.state(), v.arg1());
            return LuaValue.NONE;
        });
        httpClass.<HttpApplet>method("get_priv", (a, v) -> {
            ApiArgs.methodCount(v, 1, "get_priv");
            return TxnContext.priv(a.exchange.transaction(), a.call.state());
        });

        tcpClass.<TcpApplet>method("receive", (a, v) -> receive(a.input, v));
        tcpClass.<TcpApplet>method("getline", (a, v) -> LuaValue.valueOf(a.input.line()));
        tcpClass.<TcpApplet>method("send", (a, v) -> {
            byte[] data = Values.bytes(v.checkstring(1));
            if (!a.call.fromLoop(() -> a.exchange.write(data))) {
                a.call.suspend(resume -> a.exchange.onWritable(resume));
            }
            return LuaValue.NONE;
        });
        tcpClass.<TcpApplet>method("set_var", (a, v) -> LuaValue.valueOf(TxnApi.Variables.set(a.exchange.transaction(), v)));
        tcpClass.<TcpApplet>method("get_var", (a, v) -> TxnApi.Variables.get(a.exchange.transaction(), v));
        tcpClass.<TcpApplet>method("unset_var", (a, v) -> LuaValue.valueOf(TxnApi.Variables.unset(a.exchange.transaction(), v)));
        tcpClass.<TcpApplet>method("set_priv", (a, v) -> {
            ApiArgs.methodCount(v, 2, "set_priv");
            TxnContext.priv(a.exchange.transaction(), a.call.state(), v.arg1());
            return LuaValue.NONE;
        });
        tcpClass.<TcpApplet>method("get_priv", (a, v) -> {
            ApiArgs.methodCount(v, 1, "get_priv");
            return TxnContext.priv(a.exchange.transaction(), a.call.state());
        });
    }

    /** {@code receive()}: all until the end; {@code receive(n)}: n bytes, fewer only at the end. */
    private static LuaValue receive(AppletInput input, org.luaj.vm2.Varargs v) {
        return LuaValue.valueOf(v.isnil(1) ? input.all() : input.exactly(Math.max(0, v.checkint(1))));
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
