package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.plugin.lua.engine.LuaState;
import io.luagate.plugin.lua.net.Destination;
import io.luagate.plugin.lua.net.HttpClientExchange;
import io.luagate.plugin.lua.net.HttpClientPools;
import io.luagate.plugin.lua.net.HttpClientRequest;
import io.luagate.plugin.lua.net.HttpClientResponse;
import io.luagate.plugin.lua.net.HttpUrl;
import io.luagate.plugin.lua.net.HttpsClientTls;
import io.luagate.spi.http.AsciiFold;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * HAProxy's {@code HTTPClient} class ({@code core.httpclient()}, haproxy-lua-api.md §3.14): one
 * method per HTTP method, each taking a request table and returning the response table once the
 * whole response is in. Connections come from luagate's upstream pools.
 */
final class HttpClientClass {

    /** The Java side of an HTTPClient object: it holds nothing, each request stands alone. */
    private static final class Client {
    }

    private static final List<String> KEYS = List.of("url", "body", "headers", "dst", "timeout");

    private final LuaState state;
    private final LuaClass clientClass = new LuaClass("HTTPClient", Client.class);
    private final HttpClientPools pools = new HttpClientPools();
    /** TLS for https URLs, set when the plugin is configured; {@code null}: https is refused. */
    private HttpsClientTls tls;

    void tls(HttpsClientTls tls) {
        this.tls = tls;
    }

    HttpClientClass(LuaState state) {
        this.state = state;
        for (String function : List.of("get", "head", "put", "post", "delete")) {
            String method = function.toUpperCase(Locale.ROOT);
            clientClass.<Client>method(function, (client, a) -> send(method, function, a));
        }
    }

    /** {@code core.httpclient()}: nothing in a script body or init function, as in HAProxy. */
    Varargs create() {
        return state.currentCall() == null ? LuaValue.NONE : clientClass.wrap(new Client());
    }

    private Varargs send(String method, String function, Varargs a) {
        LuaCall call = state.currentCall();
        if (call == null || !call.yieldable()) {
            throw new LuaError("httpclient '" + function + "': only allowed in actions, services and tasks"
                    + (call == null ? "" : ", not in '" + call.name() + "'"));
        }
        if (a.narg() != 1 || !a.arg1().istable()) {
            throw new LuaError("httpclient '" + function + "' needs a table as argument");
        }
        LuaTable table = a.arg1().checktable();
        String url = null;
        byte[] body = null;
        List<Map.Entry<String, String>> headers = List.of();
        String dst = null;
        long timeout = -1;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs entry = table.next(k);
            k = entry.arg1();
            if (k.isnil()) {
                break;
            }
            LuaValue v = entry.arg(2);
            String key = Values.anyText(k);
            switch (key) {
                case "url" -> url = stringParameter(v, key, function);
                case "dst" -> dst = stringParameter(v, key, function);
                case "body" -> {
                    if (v.type() != LuaValue.TSTRING) {
                        throw new LuaError("httpclient '" + function + "': invalid parameter in 'body', must be a string");
                    }
                    body = Values.bytes(v);
                }
                case "timeout" -> {
                    if (v.type() != LuaValue.TNUMBER) {
                        throw new LuaError("httpclient '" + function + "': invalid parameter in 'timeout', must be a number (milliseconds)");
                    }
                    // As HAProxy: 0 (or less) means no timeout.
                    timeout = v.tolong() > 0 ? v.tolong() : -1;
                }
                case "headers" -> headers = headers(v, function);
                default -> throw new LuaError("httpclient '" + function + "': '" + key
                        + "' invalid parameter name (expected one of " + String.join(", ", KEYS) + ")");
            }
        }
        if (url == null) {
            throw new LuaError("httpclient '" + function + "' needs a 'url' argument");
        }
        HttpUrl parsed;
        Destination destination;
        try {
            parsed = HttpUrl.parse(url);
            destination = dst != null ? Destination.parse(dst, parsed.port(), true) : Destination.parse(parsed.host(), parsed.port());
        } catch (IllegalArgumentException e) {
            throw new LuaError("httpclient '" + function + "': " + e.getMessage()
                    + (dst == null ? " (or give a 'dst' address)" : ""));
        }
        HttpsClientTls tls = null;
        if (parsed.tls()) {
            tls = this.tls;
            if (tls == null) {
                throw new LuaError("httpclient '" + function + "': https needs the lua plugin started with its TLS settings");
            }
        }
        HttpClientRequest request = new HttpClientRequest(method, parsed, headers, body, destination, timeout, tls);
        HttpClientResponse response = HttpClientExchange.send(call, request,
                pools.forLoop(state.engine().runtime(), call.loop()));
        return table(response);
    }

    private static String stringParameter(LuaValue v, String key, String function) {
        if (v.type() != LuaValue.TSTRING) {
            throw new LuaError("httpclient '" + function + "': invalid parameter in '" + key + "', must be a string");
        }
        return Values.text(v);
    }

    /** {@code headers = { name = { value, ... } }}: lists indexed from 1, or from 0 as req_get_headers gives them. */
    private static List<Map.Entry<String, String>> headers(LuaValue v, String function) {
        if (!v.istable()) {
            throw new LuaError("httpclient '" + function + "': invalid parameter in 'headers', must be a table");
        }
        List<Map.Entry<String, String>> out = new ArrayList<>();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs entry = v.next(k);
            k = entry.arg1();
            if (k.isnil()) {
                break;
            }
            String name = Values.anyText(k);
            if (k.type() != LuaValue.TSTRING) {
                throw new LuaError("httpclient '" + function + "': bad header name '" + name + "'");
            }
            HeaderArgs.name(name, "httpclient " + function);
            LuaValue values = entry.arg(2);
            if (!values.istable()) {
                throw new LuaError("httpclient '" + function + "': header '" + name
                        + "' must be a list of values, e.g. { \"" + name + "\" = { \"value\" } }");
            }
            for (int i = values.get(0).isnil() ? 1 : 0; !values.get(i).isnil(); i++) {
                LuaValue value = values.get(i);
                if (!value.isstring()) {
                    throw new LuaError("httpclient '" + function + "': a value of header '" + name + "' is a "
                            + value.typename() + ", not a string");
                }
                out.add(Map.entry(name, HeaderArgs.value(name, Values.text(value), "httpclient " + function)));
            }
        }
        return out;
    }

    /** HAProxy's response table: status, reason, headers (lower-case names, 0-based lists), body. */
    private static LuaTable table(HttpClientResponse response) {
        LuaTable out = new LuaTable();
        out.set("status", LuaValue.valueOf(response.status()));
        out.set("reason", Values.lua(response.reason()));
        LuaTable headers = new LuaTable();
        for (Map.Entry<String, String> header : response.headers()) {
            LuaValue name = Values.lua(AsciiFold.fold(header.getKey()));
            LuaValue list = headers.rawget(name);
            if (list.isnil()) {
                LuaTable values = new LuaTable();
                values.rawset(0, Values.lua(header.getValue()));
                headers.rawset(name, values);
            } else {
                list.rawset(list.length() + 1, Values.lua(header.getValue()));
            }
        }
        out.set("headers", headers);
        out.set("body", LuaValue.valueOf(response.body()));
        return out;
    }
}
