package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.engine.CallDone;
import io.luagate.plugin.lua.lib.LuaArgs;
import io.luagate.spi.http.AsciiFold;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.http.HttpReasons;
import io.luagate.spi.http.RegexReplacement;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.sample.VarScope;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
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
                    ApiArgs.methodCount(a, 2, "set_priv");
                    c.priv(a.arg1());
                    return LuaValue.NONE;
                })
                .<TxnContext>method("get_priv", (c, a) -> {
                    ApiArgs.methodCount(a, 1, "get_priv");
                    return c.priv();
                })
                .<TxnContext>method("reply", (c, a) -> {
                    if (c.txn().request() == null) {
                        throw new LuaError("txn object is not an HTTP transaction.");
                    }
                    return newReply(a.arg1());
                })
                .<TxnContext>method("done", (c, a) -> {
                    done(c, a.arg1());
                    return LuaValue.NONE;
                })
                .<TxnContext>method("log", (c, a) -> {
                    ApiArgs.methodCount(a, 3, "log");
                    long level = LuaArgs.checkInteger(a, 1, "log");
                    String message = Values.display(LuaArgs.checkString(a, 2, "log"));
                    if (level < 0 || level > 7) {
                        // luaL_argerror on argument 1 of a method call: Lua words it as "bad self".
                        throw new LuaError("calling 'log' on bad self (Invalid loglevel.)");
                    }
                    Logging.log((int) level, message);
                    return LuaValue.NONE;
                })
                .<TxnContext>method("deflog", (c, a) -> {
                    ApiArgs.methodCount(a, 2, "deflog");
                    Logging.log(Logging.INFO, Values.display(LuaArgs.checkString(a, 1, "deflog")));
                    return LuaValue.NONE;
                })
                .<TxnContext>method("set_loglevel", (c, a) -> {
                    ApiArgs.methodCount(a, 2, "set_loglevel");
                    long level = LuaArgs.checkInteger(a, 1, "set_loglevel");
                    if (level < 0 || level > 7) {
                        throw LuaArgs.argError(1, "set_loglevel", "Bad log level. It must be between 0 and 7");
                    }
                    return LuaValue.NONE;
                });
        for (String[] shortcut : new String[][] {{"Debug", "7"}, {"Info", "6"}, {"Warning", "4"}, {"Alert", "1"}}) {
            int level = Integer.parseInt(shortcut[1]);
            String name = shortcut[0];
            txnClass.<TxnContext>method(name, (c, a) -> {
                ApiArgs.methodCount(a, 2, name);
                Logging.log(level, Values.display(LuaArgs.checkString(a, 1, name)));
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

    /** A Channel object over {@code buffer} of {@code request}, for a call of {@code state}. */
    LuaTable channel(io.luagate.spi.rule.ChannelBuffer buffer, io.luagate.plugin.lua.engine.LuaState state,
                     io.luagate.spi.rule.Transaction request) {
        return channels.wrap(buffer, state, request);
    }

    /**
     * A new TXN object for {@code context}; its {@code f}, {@code sf}, {@code c}, {@code sc},
     * {@code http}, {@code req} and {@code res} are made on first use.
     */
    LuaTable wrap(TxnContext context) {
        return txnClass.wrap(context);
    }

    /**
     * The HTTP class. Argument counts and their errors are HAProxy's, including its internal names
     * in them ({@code 'req_add_hdr' needs 3 arguments}); values are checked strings (a number is
     * converted, nil is an error), never the text "nil".
     */
    private void installHttp() {
        for (String side : new String[] {"req", "res"}) {
            boolean req = side.equals("req");
            httpClass.<TxnContext>method(side + "_get_headers", (c, a) -> {
                ApiArgs.methodCount(a, 1, side + "_get_headers");
                return headers(head(c, req, "get_headers"));
            });
            httpClass.<TxnContext>method(side + "_add_header", (c, a) -> {
                ApiArgs.methodCount(a, 3, side + "_add_hdr");
                String name = HeaderArgs.name(Values.text(LuaArgs.checkString(a, 1, side + "_add_header")), side + "_add_header");
                String value = HeaderArgs.value(name, Values.text(LuaArgs.checkString(a, 2, side + "_add_header")), side + "_add_header");
                head(c, req, "add_header").addHeader(name, value);
                return LuaValue.NONE;
            });
            httpClass.<TxnContext>method(side + "_set_header", (c, a) -> {
                ApiArgs.methodCount(a, 3, side + "_set_hdr");
                String name = HeaderArgs.name(Values.text(LuaArgs.checkString(a, 1, side + "_set_header")), side + "_set_header");
                String value = HeaderArgs.value(name, Values.text(LuaArgs.checkString(a, 2, side + "_set_header")), side + "_set_header");
                head(c, req, "set_header").setHeader(name, value);
                return LuaValue.NONE;
            });
            httpClass.<TxnContext>method(side + "_del_header", (c, a) -> {
                ApiArgs.methodCount(a, 2, side + "_del_hdr");
                head(c, req, "del_header").removeHeader(Values.text(LuaArgs.checkString(a, 1, side + "_del_header")));
                return LuaValue.NONE;
            });
            httpClass.<TxnContext>method(side + "_rep_header", (c, a) -> {
                ApiArgs.methodCount(a, 4, side + "_rep_hdr");
                replace(head(c, req, "rep_header"), a, side + "_rep_header", false);
                return LuaValue.NONE;
            });
            httpClass.<TxnContext>method(side + "_rep_value", (c, a) -> {
                ApiArgs.methodCount(a, 4, side + "_rep_hdr");
                replace(head(c, req, "rep_value"), a, side + "_rep_value", true);
                return LuaValue.NONE;
            });
        }
        httpClass.<TxnContext>method("req_set_method", (c, a) -> {
            String method = Values.text(LuaArgs.checkString(a, 1, "req_set_method"));
            request(c, "req_set_method").setMethod(method);
            return LuaValue.TRUE;
        });
        httpClass.<TxnContext>method("req_set_path", (c, a) -> {
            String path = Values.text(LuaArgs.checkString(a, 1, "req_set_path"));
            HttpHead head = request(c, "req_set_path");
            String query = head.query();
            head.setUri(path + (query == null ? "" : "?" + query));
            return LuaValue.TRUE;
        });
        httpClass.<TxnContext>method("req_set_query", (c, a) -> {
            String q = Values.text(LuaArgs.checkString(a, 1, "req_set_query"));
            HttpHead head = request(c, "req_set_query");
            // HAProxy puts the '?' even before an empty query.
            head.setUri(head.path() + "?" + q);
            return LuaValue.TRUE;
        });
        httpClass.<TxnContext>method("req_set_uri", (c, a) -> {
            String uri = Values.text(LuaArgs.checkString(a, 1, "req_set_uri"));
            request(c, "req_set_uri").setUri(uri);
            return LuaValue.TRUE;
        });
        httpClass.<TxnContext>method("res_set_status", (c, a) -> {
            int code = (int) LuaArgs.checkInteger(a, 1, "res_set_status");
            LuaString reason = LuaArgs.optString(a, 2, "res_set_status", null);
            // Without a reason, HAProxy's own phrase for the code (http_get_reason: 302 "Moved Temporarily").
            response(c, "res_set_status").setStatus(code, reason == null ? HttpReasons.of(code) : Values.text(reason));
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
            LuaValue key = Values.lua(AsciiFold.fold(name));
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
        replace(head, a, perValue ? "rep_value" : "rep_header", perValue);
    }

    /**
     * {@code *_rep_header} (whole lines) and {@code *_rep_value} (each comma-separated value):
     * HAProxy's {@code http_replace_hdrs}, which rewrites only the lines and values the regex
     * matches and leaves the others' blanks and separators as they were.
     */
    static void replace(HttpHead head, Varargs a, String function, boolean perValue) {
        String name = Values.text(LuaArgs.checkString(a, 1, function));
        String source = Values.text(LuaArgs.checkString(a, 2, function));
        String replacement = Values.text(LuaArgs.checkString(a, 3, function));
        Pattern regex;
        try {
            regex = Pattern.compile(PcreSyntax.toJava(source).pattern());
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new LuaError("'" + function + "': " + e.getDescription());
        }
        List<String> lines = head.headers(name);
        if (lines.isEmpty()) {
            return;
        }
        List<String> updated = new ArrayList<>(lines.size());
        boolean changed = false;
        for (String line : lines) {
            String result = perValue ? RegexReplacement.eachValue(regex, line, replacement)
                    : RegexReplacement.whole(regex, line, replacement);
            changed |= !result.equals(line);
            updated.add(result);
        }
        if (changed) {
            head.removeHeader(name);
            updated.forEach(line -> head.addHeader(name, line));
        }
    }

    /**
     * HAProxy's {@code txn:reply([init])}: the init table gives the status, headers and body; the
     * reason is always the status's own phrase ({@link HttpReasons}), as 2.6 ignores an init
     * {@code reason}, and only {@code set_status} or an assignment changes it.
     */
    private static LuaTable newReply(LuaValue init) {
        LuaTable reply = new LuaTable();
        int status = 200;
        if (init.istable() && init.get("status").type() == LuaValue.TNUMBER) {
            status = init.get("status").toint();
        }
        reply.set("status", LuaValue.valueOf(status));
        reply.set("reason", LuaValue.valueOf(HttpReasons.of(status)));
        reply.set("headers", new LuaTable());
        reply.set("body", LuaValue.valueOf(""));
        if (init.istable()) {
            for (String field : new String[] {"headers", "body"}) {
                if (!init.get(field).isnil()) {
                    reply.set(field, init.get(field));
                }
            }
        }
        reply.set("set_status", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                Varargs args = a.subargs(2);
                int code = (int) LuaArgs.checkInteger(args, 1, "set_status");
                LuaString reason = LuaArgs.optString(args, 2, "set_status", null);
                a.arg1().set("status", LuaValue.valueOf(code));
                a.arg1().set("reason", reason == null ? LuaValue.valueOf(HttpReasons.of(code)) : reason);
                return TRUE;
            }
        });
        reply.set("add_header", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                Varargs args = a.subargs(2);
                String text = HeaderArgs.name(Values.text(LuaArgs.checkString(args, 1, "add_header")), "add_header");
                LuaString value = LuaArgs.checkString(args, 2, "add_header");
                HeaderArgs.value(text, Values.text(value), "add_header");
                LuaValue name = Values.lua(AsciiFold.fold(text));
                LuaValue headers = a.arg1().get("headers");
                LuaValue list = headers.get(name);
                if (list.isnil()) {
                    list = new LuaTable();
                    headers.set(name, list);
                }
                list.set(list.length() + 1, value);
                return TRUE;
            }
        });
        reply.set("del_header", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                String name = Values.text(LuaArgs.checkString(a.subargs(2), 1, "del_header"));
                a.arg1().get("headers").set(Values.lua(AsciiFold.fold(name)), NIL);
                return TRUE;
            }
        });
        reply.set("set_body", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                a.arg1().set("body", LuaArgs.checkString(a.subargs(2), 1, "set_body"));
                return TRUE;
            }
        });
        return reply;
    }

    /** {@code txn:done([reply])}: sends the reply (HTTP) and ends the call. */
    static void done(TxnContext c, LuaValue reply) {
        // From a fetch or converter it only ends the call, as in HAProxy.
        if (c.call() != null && c.call().yieldable()) {
            // Writes to the client: on the loop's thread (LuaCall.onLoop), in order with the loop's own.
            if (c.txn().request() != null && reply.istable()) {
                HttpReply answer = toHttpReply(reply);
                c.call().onLoop(() -> c.txn().reply(answer));
            } else {
                c.call().onLoop(() -> c.txn().stream().session().channel().close());
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
                String name = HeaderArgs.name(Values.anyText(k), "done");
                if (AsciiFold.equalsIgnoreCase(name, "content-length")) {
                    continue;
                }
                LuaValue values = n.arg(2);
                if (values.istable()) {
                    for (int i = values.get(0).isnil() ? 1 : 0; !values.get(i).isnil(); i++) {
                        headers.add(new HttpReply.Header(name, HeaderArgs.value(name, Values.anyText(values.get(i)), "done")));
                    }
                } else {
                    headers.add(new HttpReply.Header(name, HeaderArgs.value(name, Values.anyText(values), "done")));
                }
            }
        }
        LuaValue body = reply.get("body");
        // Only a string reason is used (a number is not converted), else the status's own phrase;
        // HAProxy writes a Lua reply's status line in the request's version.
        LuaValue reason = reply.get("reason");
        return new HttpReply(status, headers, body.isstring() ? Values.bytes(body) : new byte[0],
                reason.type() == LuaValue.TSTRING ? Values.text(reason) : HttpReasons.of(status)).inRequestVersion();
    }

    static final class Variables {

        private Variables() {
        }

        static boolean set(io.luagate.spi.rule.Transaction txn, Varargs a) {
            ApiArgs.methodCountBetween(a, 3, 4, "set_var");
            String[] name = split(Values.text(LuaArgs.checkString(a, 1, "set_var")));
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
            ApiArgs.methodCount(a, 2, "get_var");
            String[] name = split(Values.text(LuaArgs.checkString(a, 1, "get_var")));
            return name == null ? LuaValue.NIL : Values.toLua(txn.var(VarScope.parse(name[0]), name[1]));
        }

        static boolean unset(io.luagate.spi.rule.Transaction txn, Varargs a) {
            ApiArgs.methodCount(a, 2, "unset_var");
            String[] name = split(Values.text(LuaArgs.checkString(a, 1, "unset_var")));
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
