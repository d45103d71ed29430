package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.engine.CallDone;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.sample.VarScope;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/** HAProxy's TXN and HTTP classes for one state. */
final class TxnApi {

    private final LuaClass txnClass = new LuaClass("TXN", TxnContext.class);
    private final LuaClass httpClass = new LuaClass("HTTP", TxnContext.class);
    private final ChannelApi channels = new ChannelApi();

    TxnApi(SampleBridge samples) {
        txnClass.<TxnContext>method("set_var", (c, a) -> LuaValue.valueOf(Variables.set(c.txn(), a)))
                .<TxnContext>method("get_var", (c, a) -> Variables.get(c.txn(), a))
                .<TxnContext>method("unset_var", (c, a) -> LuaValue.valueOf(Variables.unset(c.txn(), a)))
                .<TxnContext>method("set_priv", (c, a) -> {
                    c.priv(a.arg1());
                    return LuaValue.NONE;
                })
                .<TxnContext>method("get_priv", (c, a) -> c.priv())
                .<TxnContext>method("reply", (c, a) -> newReply(a.arg1()))
                .<TxnContext>method("done", (c, a) -> {
                    done(c, a.arg1());
                    return LuaValue.NONE;
                })
                .<TxnContext>method("log", (c, a) -> {
                    Logging.log(a.checkint(1), Values.display(a.checkstring(2)));
                    return LuaValue.NONE;
                })
                .<TxnContext>method("deflog", (c, a) -> {
                    Logging.log(Logging.INFO, Values.display(a.checkstring(1)));
                    return LuaValue.NONE;
                })
                .<TxnContext>method("set_loglevel", (c, a) -> {
                    int level = a.checkint(1);
                    if (level < 0 || level > 7) {
                        throw new LuaError("bad argument #1 to 'set_loglevel' (invalid loglevel)");
                    }
                    return LuaValue.NONE;
                });
        for (String[] shortcut : new String[][] {{"Debug", "7"}, {"Info", "6"}, {"Warning", "4"}, {"Alert", "1"}}) {
            int level = Integer.parseInt(shortcut[1]);
            txnClass.<TxnContext>method(shortcut[0], (c, a) -> {
                Logging.log(level, Values.display(a.checkstring(1)));
                return LuaValue.NONE;
            });
        }
        TxnConnectionTuning.install(txnClass);
        installHttp();
        samples.<TxnContext>lazyFields(txnClass, TxnContext::txn);
        txnClass.<TxnContext>lazyField("http", c -> c.txn().request() == null ? LuaValue.NIL : httpClass.wrap(c));
        txnClass.<TxnContext>lazyField("req", c -> channels.wrap(c, false));
        txnClass.<TxnContext>lazyField("res", c -> channels.wrap(c, true));
    }

    /** A Channel object over {@code buffer}, for a call of {@code state}. */
    LuaTable channel(io.luagate.spi.rule.ChannelBuffer buffer, io.luagate.plugin.lua.engine.LuaState state) {
        return channels.wrap(buffer, state);
    }

    /**
     * A new TXN object for {@code context}; its {@code f}, {@code sf}, {@code c}, {@code sc},
     * {@code http}, {@code req} and {@code res} are made on first use.
     */
    LuaTable wrap(TxnContext context) {
        return txnClass.wrap(context);
    }

    private void installHttp() {
        httpClass.<TxnContext>method("req_get_headers", (c, a) -> headers(request(c, "req_get_headers")));
        httpClass.<TxnContext>method("res_get_headers", (c, a) -> headers(response(c, "res_get_headers")));
        for (String side : new String[] {"req", "res"}) {
            boolean req = side.equals("req");
            httpClass.<TxnContext>method(side + "_add_header", (c, a) -> {
                head(c, req, "add_header").addHeader(Values.text(a, 1), Values.anyText(a.arg(2)));
                return LuaValue.NONE;
            });
            httpClass.<TxnContext>method(side + "_set_header", (c, a) -> {
                head(c, req, "set_header").setHeader(Values.text(a, 1), Values.anyText(a.arg(2)));
                return LuaValue.NONE;
            });
            httpClass.<TxnContext>method(side + "_del_header", (c, a) -> {
                head(c, req, "del_header").removeHeader(Values.text(a, 1));
                return LuaValue.NONE;
            });
            httpClass.<TxnContext>method(side + "_rep_header", (c, a) -> {
                replace(head(c, req, "rep_header"), a, false);
                return LuaValue.NONE;
            });
            httpClass.<TxnContext>method(side + "_rep_value", (c, a) -> {
                replace(head(c, req, "rep_value"), a, true);
                return LuaValue.NONE;
            });
        }
        httpClass.<TxnContext>method("req_set_method", (c, a) -> {
            request(c, "req_set_method").setMethod(Values.text(a, 1));
            return LuaValue.TRUE;
        });
        httpClass.<TxnContext>method("req_set_path", (c, a) -> {
            HttpHead head = request(c, "req_set_path");
            String query = head.query();
            head.setUri(Values.text(a, 1) + (query == null ? "" : "?" + query));
            return LuaValue.TRUE;
        });
        httpClass.<TxnContext>method("req_set_query", (c, a) -> {
            HttpHead head = request(c, "req_set_query");
            // HAProxy puts the '?' even before an empty query.
            head.setUri(head.path() + "?" + Values.text(a, 1));
            return LuaValue.TRUE;
        });
        httpClass.<TxnContext>method("req_set_uri", (c, a) -> {
            request(c, "req_set_uri").setUri(Values.text(a, 1));
            return LuaValue.TRUE;
        });
        httpClass.<TxnContext>method("res_set_status", (c, a) -> {
            response(c, "res_set_status").setStatus(a.checkint(1), Values.optText(a, 2, null));
            return LuaValue.NONE;
        });
    }

    private static HttpHead head(TxnContext c, boolean request, String method) {
        return request ? request(c, "req_" + method) : response(c, "res_" + method);
    }

    private static HttpHead request(TxnContext c, String method) {
        if (c.response()) {
            throw new LuaError("'" + method + "' cannot be called from a response action");
        }
        return c.txn().request();
    }

    private static HttpHead response(TxnContext c, String method) {
        if (!c.response() || c.txn().response() == null) {
            throw new LuaError("'" + method + "' can only be called from a response action");
        }
        return c.txn().response();
    }

    /** HAProxy's header table: lower-case names, each a list indexed from 0. */
    static LuaTable headers(HttpHead head) {
        LuaTable table = new LuaTable();
        head.forEachHeader((name, value) -> {
            LuaValue key = Values.lua(name.toLowerCase(java.util.Locale.ROOT));
            LuaValue list = table.rawget(key);
            if (list.isnil()) {
                LuaTable values = new LuaTable();
                values.rawset(0, Values.lua(value));
                table.rawset(key, values);
            } else {
                list.rawset(list.length() + 1, Values.lua(value));
            }
        });
        return table;
    }

    /**
     * HAProxy's {@code http_replace_hdrs}: a value (or, per value, each comma-separated one) that
     * the regex matches somewhere becomes the replacement as a whole, with {@code \N} its groups
     * and {@code \xHH} a byte; a value it does not match stays.
     */
    static void replace(HttpHead head, Varargs a, boolean perValue) {
        String name = Values.text(a, 1);
        Pattern regex = Pattern.compile(Values.text(a, 2));
        String replacement = Values.text(a, 3);
        List<String> values = new ArrayList<>(head.headers(name));
        if (values.isEmpty()) {
            return;
        }
        head.removeHeader(name);
        for (String value : values) {
            if (perValue) {
                // A replaced value loses the blanks around it, the others keep theirs ("v1, x2,v3"
                // with ^v -> w gives "w, x2,w"), as HAProxy rewrites one value of the line at a time.
                StringBuilder out = new StringBuilder();
                String[] parts = value.split(",", -1);
                for (int i = 0; i < parts.length; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    String replaced = replaceWhole(regex, parts[i].strip(), replacement);
                    out.append(replaced == null ? parts[i] : replaced);
                }
                head.addHeader(name, out.toString());
            } else {
                String replaced = replaceWhole(regex, value, replacement);
                head.addHeader(name, replaced == null ? value : replaced);
            }
        }
    }

    /** The replacement for {@code value}, or {@code null} when the regex does not match it. */
    private static String replaceWhole(Pattern regex, String value, String replacement) {
        java.util.regex.Matcher m = regex.matcher(value);
        if (!m.find()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < replacement.length(); i++) {
            char c = replacement.charAt(i);
            if (c != '\\' || i + 1 == replacement.length()) {
                out.append(c);
                continue;
            }
            char next = replacement.charAt(++i);
            if (next >= '0' && next <= '9') {
                int group = next - '0';
                if (group <= m.groupCount() && m.group(group) != null) {
                    out.append(m.group(group));
                }
            } else if (next == 'x' && i + 2 < replacement.length()) {
                out.append((char) ((hexDigit(replacement.charAt(i + 1)) << 4) + hexDigit(replacement.charAt(i + 2)) & 0xff));
                i += 2;
            } else {
                out.append(next);
            }
        }
        return out.toString();
    }

    /** As HAProxy reads a hex digit: no check, whatever the character. */
    private static int hexDigit(char c) {
        int digit = Character.toUpperCase(c) - '0';
        return digit > 9 ? digit - ('A' - '9' - 1) : digit;
    }

    // ---- reply and done ----------------------------------------------------------------------

    private static LuaTable newReply(LuaValue init) {
        LuaTable reply = new LuaTable();
        reply.set("status", LuaValue.valueOf(200));
        reply.set("reason", LuaValue.valueOf(""));
        reply.set("headers", new LuaTable());
        reply.set("body", LuaValue.valueOf(""));
        if (init.istable()) {
            for (String field : new String[] {"status", "reason", "headers", "body"}) {
                if (!init.get(field).isnil()) {
                    reply.set(field, init.get(field));
                }
            }
        }
        reply.set("set_status", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                a.arg1().set("status", LuaValue.valueOf(a.checkint(2)));
                a.arg1().set("reason", a.isnil(3) ? LuaValue.valueOf("") : a.arg(3));
                return NONE;
            }
        });
        reply.set("add_header", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                LuaValue headers = a.arg1().get("headers");
                LuaValue name = Values.lua(Values.text(a, 2).toLowerCase(java.util.Locale.ROOT));
                LuaValue list = headers.get(name);
                if (list.isnil()) {
                    list = new LuaTable();
                    headers.set(name, list);
                }
                list.set(list.length() + 1, a.arg(3).tostring());
                return NONE;
            }
        });
        reply.set("del_header", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                a.arg1().get("headers").set(Values.lua(Values.text(a, 2).toLowerCase(java.util.Locale.ROOT)), NIL);
                return NONE;
            }
        });
        reply.set("set_body", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                a.arg1().set("body", a.checkstring(2));
                return NONE;
            }
        });
        return reply;
    }

    /** {@code txn:done([reply])}: sends the reply (HTTP) and ends the call. */
    static void done(TxnContext c, LuaValue reply) {
        // From a fetch or converter it only ends the call, as in HAProxy.
        if (c.call() != null && c.call().yieldable()) {
            if (c.txn().request() != null && reply.istable()) {
                c.txn().reply(toHttpReply(reply));
            } else {
                c.txn().stream().session().channel().close();
            }
            c.markAnswered();
        }
        throw new CallDone(LuaValue.NONE);
    }

    static HttpReply toHttpReply(LuaValue reply) {
        int status = reply.get("status").optint(200);
        List<HttpReply.Header> headers = new ArrayList<>();
        LuaValue table = reply.get("headers");
        if (table.istable()) {
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = table.next(k);
                if ((k = n.arg1()).isnil()) {
                    break;
                }
                String name = Values.anyText(k);
                if (name.equalsIgnoreCase("content-length")) {
                    continue;
                }
                LuaValue values = n.arg(2);
                if (values.istable()) {
                    for (int i = values.get(0).isnil() ? 1 : 0; !values.get(i).isnil(); i++) {
                        headers.add(new HttpReply.Header(name, Values.anyText(values.get(i))));
                    }
                } else {
                    headers.add(new HttpReply.Header(name, Values.anyText(values)));
                }
            }
        }
        LuaValue body = reply.get("body");
        // HAProxy writes a Lua reply's status line in the request's version.
        return new HttpReply(status, headers, body.isstring() ? Values.bytes(body) : new byte[0]).inRequestVersion();
    }

    static final class Variables {

        private Variables() {
        }

        static boolean set(io.luagate.spi.rule.Transaction txn, Varargs a) {
            String[] name = split(Values.text(a, 1));
            if (name == null) {
                return false;
            }
            VarScope scope = VarScope.parse(name[0]);
            if (scope == VarScope.PROC && a.arg(3).toboolean() && txn.var(scope, name[1]) == null) {
                return false;
            }
            txn.setVar(scope, name[1], Values.toSample(a.arg(2)));
            return true;
        }

        static LuaValue get(io.luagate.spi.rule.Transaction txn, Varargs a) {
            String[] name = split(Values.text(a, 1));
            return name == null ? LuaValue.NIL : Values.toLua(txn.var(VarScope.parse(name[0]), name[1]));
        }

        static boolean unset(io.luagate.spi.rule.Transaction txn, Varargs a) {
            String[] name = split(Values.text(a, 1));
            if (name == null) {
                return false;
            }
            txn.setVar(VarScope.parse(name[0]), name[1], null);
            return true;
        }

        private static String[] split(String name) {
            int dot = name.indexOf('.');
            if (dot <= 0 || dot == name.length() - 1 || VarScope.parse(name.substring(0, dot)) == null) {
                return null;
            }
            return new String[] {name.substring(0, dot), name.substring(dot + 1)};
        }
    }
}
