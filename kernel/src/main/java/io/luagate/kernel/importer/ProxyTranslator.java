package io.luagate.kernel.importer;

import io.luagate.kernel.config.NameCharacters;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lines of one {@code frontend}, {@code backend} or {@code listen} section (and those of the
 * {@code defaults} it inherits, replayed first): each keyword goes to the luagate frontend, the
 * backend, or both, as HAProxy applies it by the proxy's capabilities.
 */
final class ProxyTranslator {

    /** Proxy keywords that only restate what luagate does anyway, with the reason. */
    private static final Map<String, String> HARMLESS_OPTIONS = Map.of(
            "httplog", "luagate's default access-log line is HAProxy's httplog shape",
            "tcplog", "luagate's default access-log line is HAProxy's tcplog shape in TCP mode",
            "dontlognull", "luagate logs no line for a connection that sent nothing",
            "socket-stats", "luagate's listener stats (Lua's Listener:get_stats()) are always on, without traffic counters");
    /** Why a key that is no format is listed when its word escapes a byte above 0x7F ({@link ConfigLine#escapesHighByte}). */
    private static final String HIGH_BYTE = "an escaped byte above 0x7F (\\xNN) cannot be written in luagate's "
            + "configuration for this key; write the character itself (é is C3 A9)";

    private static final Set<String> FRONTEND_TIMEOUTS = Set.of("client", "http-request", "http-keep-alive");
    /** Timeouts both kinds of proxy keep (HAProxy copies them to frontends and backends). */
    private static final Set<String> SHARED_TIMEOUTS = Set.of("tarpit");
    private static final Set<String> BACKEND_TIMEOUTS = Set.of("connect", "server", "tunnel", "check");
    /** Server check keywords that take a duration, a number, or a word, kept under the same names. */
    private static final Set<String> CHECK_DURATIONS = Set.of("inter", "fastinter", "downinter");
    private static final Set<String> CHECK_NUMBERS = Set.of("rise", "fall", "port", "error-limit");
    private static final Set<String> CHECK_WORDS = Set.of("addr", "observe", "on-error");
    /** Server and bind options that take a value: skipped with their value when reported. */
    private static final Set<String> WITH_VALUE = Set.of("inter", "fastinter", "downinter", "rise", "fall", "port",
            "addr", "maxconn", "minconn", "maxqueue", "cookie", "slowstart", "on-error", "on-marked-down",
            "on-marked-up", "observe", "error-limit", "source", "id", "init-addr", "resolvers", "resolve-prefer",
            "sni", "crt", "ca-file", "crl-file", "alpn", "proto", "check-sni", "check-alpn", "agent-port",
            "agent-inter", "agent-send", "pool-max-conn", "pool-purge-delay", "pool-low-conn", "track", "redir",
            "name", "backlog", "process", "interface", "mss", "nice", "level", "mode", "user", "group", "uid",
            "gid", "ciphers", "ciphersuites", "ssl-min-ver", "ssl-max-ver", "curves", "ecdhe", "verify",
            "crt-list", "namespace", "tcp-ut", "severity-output", "expose-fd", "npn", "shards");
    /** HAProxy's bind options that luagate's tls plugin takes under the same name, with their value. */
    private static final Set<String> TLS_BIND_OPTIONS = Set.of("crt", "crt-list", "alpn", "ca-file", "crl-file",
            "verify", "ssl-min-ver", "ssl-max-ver", "ciphers", "ciphersuites");
    private static final Set<String> REUSE = Set.of("never", "safe", "aggressive", "always");
    /** HAProxy's HTTP connection-mode options, as luagate's {@code connection-mode}. */
    private static final Map<String, String> CONNECTION_MODES = Map.of(
            "http-keep-alive", "keep-alive", "http-server-close", "server-close", "httpclose", "close");
    /** The log-format aliases for which HAProxy keeps the request line ({@code LW_REQ}): %r %HM %HP %HPO %HQ %HU %HV. */
    private static final java.util.regex.Pattern REQUEST_ALIAS =
            java.util.regex.Pattern.compile("%(\\{[^}]*\\})?(r|HM|HPO|HP|HQ|HU|HV)(?![A-Za-z])");

    private final HoconObject fe;
    private final HoconObject be;
    private final HoconObject home;
    /** Where rules that run once per stream go: the frontend part of a listen section. */
    private final HoconObject main;
    private final PathResolver paths;
    private final Notes notes;
    private boolean quiet;
    private String origin = "";

        /**
     * @param fe   the luagate frontend, or null for a backend section
     * @param be   the luagate backend, or null for a frontend section
     * @param home where comments about lines go
     */
    ProxyTranslator(HoconObject fe, HoconObject be, HoconObject home, PathResolver paths, Notes notes) {
        this.fe = fe;
        this.be = be;
        this.home = home;
        this.main = fe != null ? fe : be;
        this.paths = paths;
        this.notes = notes;
    }

    /** Replays a {@code defaults} section's line: its problems were reported with the section itself. */
    void inherit(ConfigLine line) {
        quiet = true;
        origin = " (defaults)";
        apply(line);
        quiet = false;
        origin = "";
    }

    void apply(ConfigLine line) {
        String key = line.keyword();
        String c = line.where() + origin;
        switch (key) {
            case "mode" -> {
                String mode = line.word(1);
                if (line.size() != 2 || !(mode.equals("http") || mode.equals("tcp"))) {
                    unsupported(line, key, "luagate has modes http and tcp");
                } else {
                    set(fe, "mode", mode, c);
                    set(be, "mode", mode, c);
                }
            }
            case "bind" -> bind(line, c);
            case "server" -> server(line, c);
            case "default-server" -> {
                if (be == null) {
                    unsupported(line, key, "luagate takes default-server in backends");
                } else {
                    serverOptions(line, 1, be.object("default-server"), c);
                }
            }
            case "http-check" -> {
                if (be != null && line.size() > 2 && (line.word(1).equals("send") || line.word(1).equals("expect"))) {
                    be.list("http-check").add(line.rawFrom(1), c);
                } else {
                    unsupported(line, key, "luagate's http-check takes send and expect lines, in backends");
                }
            }
            case "timeout" -> timeout(line, c);
            case "option", "no" -> option(line, c);
            case "balance" -> {
                String balance = BalanceTranslator.balance(line.words().subList(1, line.size()));
                if (balance != null) {
                    set(be, "balance", balance, c);
                } else {
                    unsupported(line, "balance " + line.rawFrom(1), "luagate balances roundrobin, leastconn, random, "
                            + "source, uri, url_param <name>, hdr(<name>) and hash <expr>");
                }
            }
            case "hash-type" -> {
                String type = BalanceTranslator.hashType(line.words().subList(1, line.size()));
                if (type != null) {
                    set(be, "hash-type", type, c);
                } else {
                    unsupported(line, key, "expects map-based|consistent [sdbm|djb2|wt6|crc32 [avalanche]]");
                }
            }
            case "hash-balance-factor" -> {
                String factor = line.word(1);
                if (line.size() == 2 && factor.matches("\\d{1,6}")
                        && (Integer.parseInt(factor) == 0 || Integer.parseInt(factor) > 100)) {
                    set(be, "hash-balance-factor", new HoconObject.Literal(factor), c);
                } else {
                    unsupported(line, key, "expects 0 or a percentage above 100");
                }
            }
            case "retries" -> {
                if (line.size() == 2 && line.word(1).matches("\\d{1,3}") && Integer.parseInt(line.word(1)) <= 100) {
                    set(be, "retries", new HoconObject.Literal(line.word(1)), c);
                } else {
                    unsupported(line, key, "expects a number in [0, 100]");
                }
            }
            case "http-reuse" -> {
                if (line.size() == 2 && REUSE.contains(line.word(1))) {
                    set(be, "http-reuse", line.word(1), c);
                } else {
                    unsupported(line, key, null);
                }
            }
            case "acl" -> {
                String badName = line.size() < 3 ? null : NameCharacters.problem("acl", line.word(1));
                if (line.size() < 3) {
                    unsupported(line, key, "expects a name and a criterion");
                } else if (badName != null) {
                    unsupported(line, key, badName + ", as HAProxy refuses it");
                } else {
                    String definition = RuleFiles.rewrite(line, 2, paths);
                    for (HoconObject target : new HoconObject[] {fe, be}) {
                        if (target != null) {
                            target.object("acl").list(line.word(1)).add(definition, c);
                        }
                    }
                }
            }
            case "http-request", "http-response", "http-after-response" -> rule(line, main, key, c);
            case "http-error" -> {
                if (line.size() < 3) {
                    unsupported(line, key, "expects status <code> [...]");
                } else {
                    // HAProxy's proxy has one table; a listen section's frontend and backend share it.
                    for (HoconObject target : new HoconObject[] {fe, be}) {
                        if (target != null) {
                            target.list("http-error").add(RuleFiles.rewrite(line, 1, paths), c);
                        }
                    }
                }
            }
            case "monitor-uri" -> {
                if (line.size() != 2) {
                    unsupported(line, key, "expects one URI");
                } else if (line.escapesHighByte(1)) {
                    unsupported(line, key, HIGH_BYTE);
                } else if (fe != null) {
                    fe.set("monitor-uri", line.word(1), c);
                }
            }
            case "monitor" -> {
                if (line.size() < 4 || !line.word(1).equals("fail") || !(line.word(2).equals("if") || line.word(2).equals("unless"))) {
                    unsupported(line, key + (line.size() > 1 ? " " + line.word(1) : ""), "expects monitor fail if|unless <condition>");
                } else if (fe != null) {
                    fe.list("monitor-fail").add(RuleFiles.rewrite(line, 2, paths), c);
                }
            }
            case "tcp-request" -> {
                String kind = line.word(1);
                if (!"content".equals(kind) && !"inspect-delay".equals(kind)) {
                    unsupported(line, key + (kind == null ? "" : " " + kind), "luagate has tcp-request content and inspect-delay");
                } else if (fe == null) {
                    unsupported(line, key + " " + kind, "luagate runs tcp-request rules in frontends only");
                } else {
                    rule(line, fe, key, c);
                }
            }
            case "tcp-response" -> {
                String kind = line.word(1);
                if (!"content".equals(kind) && !"inspect-delay".equals(kind)) {
                    unsupported(line, key + (kind == null ? "" : " " + kind), null);
                } else if (be != null) {
                    rule(line, be, key, c);
                }
            }
            case "use_backend" -> {
                if (fe != null) {
                    fe.list("use-backend").add(RuleFiles.rewrite(line, 1, paths), c);
                }
            }
            case "default_backend" -> {
                if (line.size() != 2) {
                    unsupported(line, key, "expects one backend name");
                } else if (fe != null) {
                    fe.set("default-backend", line.word(1), c);
                }
            }
            case "filter" -> {
                if (line.size() < 2 || !line.word(1).startsWith("lua.")) {
                    unsupported(line, key + (line.size() < 2 ? "" : " " + line.word(1)), "luagate's filters are Lua filters");
                } else {
                    main.list("filter").add(line.rawFrom(1), c);
                }
            }
            case "log-format" -> {
                if (line.size() < 2) {
                    unsupported(line, key, null);
                } else if (fe != null) {
                    String format = formatFrom(line);
                    fe.set("log-format", format, c);
                    fe.set("capture-request-line", new HoconObject.Literal(Boolean.toString(
                            REQUEST_ALIAS.matcher(format).find())), c + ": the format shows the request line or not");
                }
            }
            case "errorfile" -> {
                if (line.size() != 3 || !line.word(1).matches("\\d{1,3}")) {
                    unsupported(line, key, "expects <code> <file>");
                } else {
                    // A listen section is one proxy: its pages serve its frontend and backend parts alike.
                    for (HoconObject target : new HoconObject[] {fe, be}) {
                        if (target != null) {
                            target.object("errorfile").set(line.word(1), paths.resolve(line.word(2)), c);
                        }
                    }
                }
            }
            case "unique-id-format" -> {
                if (line.size() < 2) {
                    unsupported(line, key, "expects a format");
                } else if (fe != null) {
                    fe.set("unique-id-format", formatFrom(line), c);
                }
            }
            case "unique-id-header" -> {
                if (line.size() != 2) {
                    unsupported(line, key, "expects a header name");
                } else if (line.escapesHighByte(1)) {
                    unsupported(line, key, HIGH_BYTE);
                } else if (fe != null) {
                    fe.set("unique-id-header", line.word(1), c);
                }
            }
            case "log" -> {
                if (!quiet) {
                    Notes.ignored(line, "luagate writes its access log to log.target", home);
                }
            }
            default -> unsupported(line, key, null);
        }
    }

    private void rule(ConfigLine line, HoconObject target, String key, String c) {
        if (line.size() < 2) {
            unsupported(line, key, "no action");
        } else {
            target.list(key).add(RuleFiles.rewrite(line, 1, paths), c);
        }
    }

    private void timeout(ConfigLine line, String c) {
        String which = line.word(1);
        String value = line.size() == 3 ? Units.duration(line.word(2)) : null;
        if (which == null || value == null) {
            unsupported(line, "timeout" + (which == null ? "" : " " + which), "expects a duration");
        } else if (SHARED_TIMEOUTS.contains(which)) {
            for (HoconObject target : new HoconObject[] {fe, be}) {
                if (target != null) {
                    target.object("timeout").set(which, value, c);
                }
            }
        } else if (FRONTEND_TIMEOUTS.contains(which)) {
            if (fe != null) {
                fe.object("timeout").set(which, value, c);
            }
        } else if (BACKEND_TIMEOUTS.contains(which)) {
            if (be != null) {
                be.object("timeout").set(which, value, c);
            }
        } else {
            unsupported(line, "timeout " + which, null);
        }
    }

    private void option(ConfigLine line, String c) {
        boolean no = line.keyword().equals("no");
        int at = no ? 2 : 1;
        if (no && !"option".equals(line.word(1))) {
            unsupported(line, "no " + line.word(1), null);
            return;
        }
        String name = line.word(at);
        String keyword = (no ? "no option " : "option ") + name;
        boolean plain = line.size() == at + 1;
        if ("forwardfor".equals(name) && (plain || !no)) {
            forwardFor(line, at + 1, !no, c);
        } else if (CONNECTION_MODES.containsKey(name) && plain) {
            // One setting in HAProxy: the last of these options wins; "no option" returns to keep-alive.
            String mode = no ? "keep-alive" : CONNECTION_MODES.get(name);
            set(fe, "connection-mode", mode, c);
            set(be, "connection-mode", mode, c);
        } else if ("redispatch".equals(name) && be != null && (plain || !no && line.size() == at + 2
                && line.word(at + 1).matches("-?\\d{1,6}"))) {
            // option redispatch [<interval>]: luagate's key takes the same interval (true is -1).
            set(be, "redispatch", new HoconObject.Literal(no ? "false" : plain ? "true" : line.word(at + 1)), c);
        } else if ("httpchk".equals(name) && be != null && !no) {
            set(be, "httpchk", plain ? new HoconObject.Literal("true") : line.rawFrom(at + 1), c);
        } else if ("http-buffer-request".equals(name) && plain) {
            // A listen section buffers in its frontend part: the body is held back once.
            set(fe != null ? fe : be, "http-buffer-request", new HoconObject.Literal(Boolean.toString(!no)), c);
        } else if (!no && plain && HARMLESS_OPTIONS.containsKey(name)) {
            if (name.equals("httplog") || name.equals("tcplog")) {
                // HAProxy keeps the request line for capture.req.* when its log format shows it.
                set(fe, "capture-request-line", new HoconObject.Literal(Boolean.toString(name.equals("httplog"))), c);
            }
            if (!quiet) {
                Notes.ignored(line, HARMLESS_OPTIONS.get(name), home);
            }
        } else {
            unsupported(line, name == null ? "option" : keyword, plain ? null : "luagate has only its plain form");
        }
    }

    /** {@code option forwardfor [except <network>] [header <name>] [if-none]}, from word {@code at}. */
    private void forwardFor(ConfigLine line, int at, boolean on, String c) {
        String except = "";
        String header = "x-forwarded-for";
        boolean ifNone = false;
        for (int i = at; i < line.size(); i++) {
            String word = line.word(i);
            if (word.equals("except") && i + 1 < line.size()) {
                except = line.word(++i);
            } else if (word.equals("header") && i + 1 < line.size()) {
                header = line.word(++i);
            } else if (word.equals("if-none")) {
                ifNone = true;
            } else {
                unsupported(line, "option forwardfor " + word, "expects [except <network>] [header <name>] [if-none]");
                return;
            }
        }
        // Each proxy part keeps all four keys, so that a later plain "option forwardfor" resets the others.
        for (HoconObject target : new HoconObject[] {fe, be}) {
            if (target != null) {
                target.set("forwardfor", new HoconObject.Literal(Boolean.toString(on)), c);
                target.set("forwardfor-header", header, c);
                target.set("forwardfor-except", except, c);
                target.set("forwardfor-if-none", new HoconObject.Literal(Boolean.toString(ifNone)), c);
            }
        }
    }

    private void bind(ConfigLine line, String c) {
        if (fe == null) {
            unsupported(line, "bind", "HAProxy takes no bind in a backend");
            return;
        }
        if (line.size() < 2) {
            unsupported(line, "bind", "no address");
            return;
        }
        Integer thread = null;
        // The options that make the bind an object (proto, and the TLS ones the tls plugin reads), in the line's order.
        java.util.LinkedHashMap<String, Object> options = new java.util.LinkedHashMap<>();
        for (int i = 2; i < line.size(); i++) {
            String option = line.word(i);
            if (option.equals("thread") && i + 1 < line.size() && line.word(i + 1).matches("[1-9]\\d{0,3}")) {
                thread = Integer.valueOf(line.word(++i));
            } else if (option.equals("proto") && i + 1 < line.size() && line.word(i + 1).matches("h[12]")) {
                options.put("proto", line.word(++i));
            } else if (option.equals("ssl")) {
                options.put("ssl", new HoconObject.Literal("true"));
            } else if (TLS_BIND_OPTIONS.contains(option) && i + 1 < line.size()) {
                String value = line.word(++i);
                switch (option) {
                    case "crt", "crt-list" -> {
                        HoconObject.HoconList crt = options.get(option) instanceof HoconObject.HoconList list
                                ? list : new HoconObject.HoconList();
                        crt.add(paths.resolve(value), c);
                        crt.items.forEach(e -> e.comments.clear());
                        options.put(option, crt);
                    }
                    case "alpn" -> {
                        HoconObject.HoconList alpn = new HoconObject.HoconList();
                        for (String protocol : value.split(",")) {
                            alpn.add(protocol, c);
                        }
                        alpn.items.forEach(e -> e.comments.clear());
                        options.put("alpn", alpn);
                    }
                    case "ca-file", "crl-file" -> options.put(option, paths.resolve(value));
                    default -> options.put(option, value);
                }
            } else {
                unsupported(line, "bind " + option, "the listener is kept without it");
                if (option.equals("thread") || WITH_VALUE.contains(option)) {
                    i++;
                }
            }
        }
        for (String address : line.word(1).split(",")) {
            String translated = BindAddress.translate(address);
            if (translated == null) {
                unsupported(line, "bind " + address, "luagate binds host:port addresses");
                continue;
            }
            Object value = translated;
            if (thread != null || !options.isEmpty()) {
                HoconObject bind = new HoconObject();
                bind.set("address", translated, c);
                if (thread != null) {
                    bind.set("thread", new HoconObject.Literal(thread.toString()), c);
                }
                options.forEach((key, option) -> bind.set(key, option, c));
                bind.entries.forEach(e -> e.comments.clear());
                value = bind;
            }
            fe.list("bind").add(value, c);
        }
    }

    private void server(ConfigLine line, String c) {
        if (be == null) {
            unsupported(line, "server", "HAProxy takes servers in backends");
            return;
        }
        String address = line.size() < 3 ? null : BindAddress.server(line.word(2));
        if (address == null) {
            unsupported(line, "server", "expects <name> <host:port>, luagate needs an explicit port");
            return;
        }
        String badName = NameCharacters.problem("server", line.word(1));
        if (badName != null) {
            unsupported(line, "server", badName + ", as HAProxy refuses it");
            return;
        }
        HoconObject server = new HoconObject();
        server.set("address", address, c);
        serverOptions(line, 3, server, c);
        server.entries.forEach(e -> e.comments.clear());
        be.object("servers").set(line.word(1), server, c);
    }

    /** The options of a {@code server} or {@code default-server} line from word {@code from}, as keys of {@code server}. */
    private void serverOptions(ConfigLine line, int from, HoconObject server, String c) {
        for (int i = from; i < line.size(); i++) {
            String option = line.word(i);
            switch (option) {
                case "weight" -> {
                    String w = line.word(i + 1);
                    if (w != null && w.matches("\\d{1,3}") && Integer.parseInt(w) <= 256) {
                        server.set("weight", new HoconObject.Literal(w), c);
                        i++;
                    } else {
                        unsupported(line, "server weight", "expects a number in [0, 256]");
                        i++;
                    }
                }
                case "check" -> server.set("check", new HoconObject.Literal("true"), c);
                case "no-check" -> server.set("check", new HoconObject.Literal("false"), c);
                case "disabled" -> server.set("disabled", new HoconObject.Literal("true"), c);
                case "enabled" -> server.set("disabled", new HoconObject.Literal("false"), c);
                case "backup" -> server.set("backup", new HoconObject.Literal("true"), c);
                case "ssl" -> server.set("ssl", new HoconObject.Literal("true"), c);
                case "proto" -> {
                    String value = line.word(i + 1);
                    i++;
                    if ("h1".equals(value) || "h2".equals(value)) {
                        server.set("proto", value, c);
                    } else {
                        unsupported(line, "server proto", "luagate speaks h1 and h2 to servers");
                    }
                }
                case "verify", "sni", "ca-file", "crt", "alpn", "crl-file", "verifyhost", "ssl-min-ver", "ssl-max-ver",
                     "ciphers", "ciphersuites" -> {
                    String value = line.word(i + 1);
                    if (value == null) {
                        unsupported(line, "server " + option, "expects a value");
                        break;
                    }
                    i++;
                    switch (option) {
                        case "alpn" -> {
                            HoconObject.HoconList alpn = new HoconObject.HoconList();
                            for (String protocol : value.split(",")) {
                                alpn.add(protocol, c);
                            }
                            alpn.items.forEach(e -> e.comments.clear());
                            server.set("alpn", alpn, c);
                        }
                        case "ca-file" -> server.set("ca-file", value.equals("@system-ca") ? value : paths.resolve(value), c);
                        case "crt", "crl-file" -> server.set(option, paths.resolve(value), c);
                        default -> server.set(option, value, c);
                    }
                }
                default -> {
                    String value = line.word(i + 1);
                    String duration = value != null && CHECK_DURATIONS.contains(option) ? Units.duration(value) : null;
                    if (duration != null) {
                        server.set(option, duration, c);
                    } else if (value != null && CHECK_NUMBERS.contains(option) && value.matches("\\d{1,6}")) {
                        server.set(option, new HoconObject.Literal(value), c);
                    } else if (value != null && CHECK_WORDS.contains(option)) {
                        server.set(option, value, c);
                    } else {
                        unsupported(line, "server " + option, "the server is kept without it");
                    }
                    if (WITH_VALUE.contains(option)) {
                        i++;
                    }
                }
            }
        }
    }

    private static void set(HoconObject target, String key, Object value, String comment) {
        if (target != null) {
            target.set(key, value, comment);
        }
    }

    /** The format of a {@code log-format} or {@code unique-id-format} line, its bytes as HAProxy reads them. */
    private static String formatFrom(ConfigLine line) {
        List<String> parts = new java.util.ArrayList<>();
        for (String raw : line.rawWords().subList(1, line.size())) {
            parts.add(LineTokenizer.formatText(raw));
        }
        return String.join(" ", parts);
    }

    private void unsupported(ConfigLine line, String keyword, String detail) {
        if (!quiet) {
            notes.unsupported(line, keyword, detail, home);
        }
    }
}
