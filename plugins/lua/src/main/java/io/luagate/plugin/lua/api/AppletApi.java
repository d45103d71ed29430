package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.service.HttpServiceExchange;
import io.luagate.spi.service.TcpServiceExchange;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/** HAProxy's AppletHTTP and AppletTCP: what a Lua service talks to. */
public final class AppletApi {

    /** The state of one HTTP service call. */
    public static final class HttpApplet {
        final HttpServiceExchange exchange;
        final LuaCall call;
        final byte[] body;
        int read;
        int status = 200;
        String reason;
        final List<Map.Entry<String, String>> headers = new ArrayList<>();
        LuaValue priv = LuaValue.NIL;

        public HttpApplet(HttpServiceExchange exchange, LuaCall call, byte[] body) {
            this.exchange = exchange;
            this.call = call;
            this.body = body;
        }
    }

    /** The state of one TCP service call: bytes received and not yet read by the script. */
    public static final class TcpApplet implements TcpServiceExchange.Receiver {
        private static final int HIGH_WATER = 64 * 1024;
        final TcpServiceExchange exchange;
        final LuaCall call;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private boolean ended;
        private Runnable waiter;
        private boolean paused;
        LuaValue priv = LuaValue.NIL;

        public TcpApplet(TcpServiceExchange exchange, LuaCall call) {
            this.exchange = exchange;
            this.call = call;
        }

        @Override
        public void data(byte[] bytes) {
            pending.writeBytes(bytes);
            if (pending.size() > HIGH_WATER && !paused) {
                paused = true;
                exchange.reading(false);
            }
            wake();
        }

        @Override
        public void end() {
            ended = true;
            wake();
        }

        private void wake() {
            Runnable w = waiter;
            waiter = null;
            if (w != null) {
                w.run();
            }
        }

        /** Takes up to {@code max} bytes once {@code ready} holds or the client closed. */
        byte[] take(java.util.function.IntPredicate ready, java.util.function.IntUnaryOperator length) {
            while (!ended && !ready.test(pending.size())) {
                call.suspend(resume -> waiter = resume);
            }
            byte[] all = pending.toByteArray();
            int n = Math.min(all.length, length.applyAsInt(all.length));
            pending.reset();
            pending.write(all, n, all.length - n);
            if (paused && pending.size() < HIGH_WATER / 2) {
                paused = false;
                exchange.reading(true);
            }
            return java.util.Arrays.copyOf(all, n);
        }

        byte[] line() {
            return take(size -> indexOfNewline() >= 0, size -> {
                int nl = indexOfNewline();
                return nl < 0 ? size : nl + 1;
            });
        }

        private int indexOfNewline() {
            byte[] bytes = pending.toByteArray();
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    return i;
                }
            }
            return -1;
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
            a.reason = v.optjstring(2, null);
            return LuaValue.TRUE;
        });
        httpClass.<HttpApplet>method("add_header", (a, v) -> {
            a.headers.add(Map.entry(v.checkjstring(1), v.arg(2).tojstring()));
            return LuaValue.NONE;
        });
        httpClass.<HttpApplet>method("start_response", (a, v) -> {
            if (!a.exchange.started()) {
                a.exchange.start(a.status, a.reason, a.headers);
            }
            return LuaValue.NONE;
        });
        httpClass.<HttpApplet>method("send", (a, v) -> {
            if (!a.exchange.started()) {
                throw new LuaError("send: start_response() must be called first");
            }
            if (!a.exchange.write(Values.bytes(v.checkstring(1)))) {
                a.call.suspend(resume -> a.exchange.onWritable(resume));
            }
            return LuaValue.NONE;
        });
        httpClass.<HttpApplet>method("receive", (a, v) -> {
            int left = a.body.length - a.read;
            int n = v.isnil(1) ? left : Math.max(0, Math.min(left, v.checkint(1)));
            LuaValue out = LuaValue.valueOf(java.util.Arrays.copyOfRange(a.body, a.read, a.read + n));
            a.read += n;
            return out;
        });
        httpClass.<HttpApplet>method("getline", (a, v) -> {
            int end = a.read;
            while (end < a.body.length && a.body[end] != '\n') {
                end++;
            }
            end = Math.min(a.body.length, end + 1);
            LuaValue out = LuaValue.valueOf(java.util.Arrays.copyOfRange(a.body, a.read, end));
            a.read = end;
            return out;
        });
        httpClass.<HttpApplet>method("set_var", (a, v) -> LuaValue.valueOf(TxnApi.Variables.set(a.exchange.transaction(), v)));
        httpClass.<HttpApplet>method("get_var", (a, v) -> TxnApi.Variables.get(a.exchange.transaction(), v));
        httpClass.<HttpApplet>method("unset_var", (a, v) -> LuaValue.valueOf(TxnApi.Variables.unset(a.exchange.transaction(), v)));
        httpClass.<HttpApplet>method("set_priv", (a, v) -> {
            a.priv = v.arg1();
            return LuaValue.NONE;
        });
        httpClass.<HttpApplet>method("get_priv", (a, v) -> a.priv);

        tcpClass.<TcpApplet>method("receive", (a, v) -> {
            if (v.isnil(1)) {
                return LuaValue.valueOf(a.take(size -> false, size -> size));
            }
            int n = v.checkint(1);
            return LuaValue.valueOf(a.take(size -> size >= n, size -> n));
        });
        tcpClass.<TcpApplet>method("getline", (a, v) -> LuaValue.valueOf(a.line()));
        tcpClass.<TcpApplet>method("send", (a, v) -> {
            if (!a.exchange.write(Values.bytes(v.checkstring(1)))) {
                a.call.suspend(resume -> a.exchange.onWritable(resume));
            }
            return LuaValue.NONE;
        });
        tcpClass.<TcpApplet>method("set_var", (a, v) -> LuaValue.valueOf(TxnApi.Variables.set(a.exchange.transaction(), v)));
        tcpClass.<TcpApplet>method("get_var", (a, v) -> TxnApi.Variables.get(a.exchange.transaction(), v));
        tcpClass.<TcpApplet>method("unset_var", (a, v) -> LuaValue.valueOf(TxnApi.Variables.unset(a.exchange.transaction(), v)));
        tcpClass.<TcpApplet>method("set_priv", (a, v) -> {
            a.priv = v.arg1();
            return LuaValue.NONE;
        });
        tcpClass.<TcpApplet>method("get_priv", (a, v) -> a.priv);
    }

    /** The AppletHTTP object of one service call. */
    public LuaTable http(HttpApplet applet) {
        LuaTable t = httpClass.wrap(applet);
        Transaction txn = applet.exchange.transaction();
        samples.attach(t, txn);
        HttpHead request = txn.request();
        t.rawset("method", LuaValue.valueOf(request.method()));
        t.rawset("version", LuaValue.valueOf(request.version().replace("HTTP/", "")));
        t.rawset("path", LuaValue.valueOf(request.path()));
        t.rawset("qs", LuaValue.valueOf(request.query() == null ? "" : request.query()));
        t.rawset("length", LuaValue.valueOf(applet.body.length));
        t.rawset("headers", TxnApi.headers(request));
        return t;
    }

    /** The AppletTCP object of one service call. */
    public LuaTable tcp(TcpApplet applet) {
        LuaTable t = tcpClass.wrap(applet);
        samples.attach(t, applet.exchange.transaction());
        return t;
    }
}
