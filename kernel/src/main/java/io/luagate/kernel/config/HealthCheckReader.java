package io.luagate.kernel.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.luagate.kernel.rule.ConfigBytes;
import io.luagate.spi.health.HttpCheck;
import io.luagate.spi.health.HttpCheckExpect;
import io.luagate.spi.health.Observe;
import io.luagate.spi.health.OnError;
import io.luagate.spi.health.ServerCheckSettings;
import io.luagate.spi.http.HttpToken;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the health-check keys: a server's ({@code check}, {@code inter}, {@code rise}... as HAProxy's
 * server keywords) and a backend's ({@code httpchk}, {@code http-check}), checking every value now
 * so that the checker never meets a bad one.
 */
public final class HealthCheckReader {

    /** The server keys read here; a TLS server's object hands the others to the tls plugin. */
    public static final List<String> SERVER_KEYS = List.of("check", "inter", "fastinter", "downinter", "rise", "fall",
            "port", "addr", "observe", "error-limit", "on-error");
    private static final Duration MS = Duration.ofMillis(1);
    private static final Duration DAY = Duration.ofDays(1);
    private static final Pattern STATUS_LIST = Pattern.compile("\\d{3}(-\\d{3})?(,\\d{3}(-\\d{3})?)*");
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE",
            "PATCH", "CONNECT");

    private final Problems problems;

    HealthCheckReader(Problems problems) {
        this.problems = problems;
    }

    /**
     * The server's own check keys; the backend's part ({@link #complete}) is added once the backend
     * is read.
     */
    ServerCheckSettings server(Section server) {
        boolean check = server.bool("check");
        long inter = server.millis("inter", MS, DAY);
        long fastInter = server.has("fastinter") ? server.millis("fastinter", MS, DAY) : inter;
        long downInter = server.has("downinter") ? server.millis("downinter", MS, DAY) : inter;
        int rise = server.integer("rise", 1, 100_000);
        int fall = server.integer("fall", 1, 100_000);
        int port = server.has("port") ? server.integer("port", 1, 65535) : 0;
        InetAddress address = null;
        if (server.has("addr")) {
            String text = server.string("addr");
            byte[] raw = io.luagate.kernel.rule.match.IpAddresses.parseAddress(text);
            if (raw == null) {
                server.problem("addr", "'" + text + "' is not an IP address");
            } else {
                try {
                    address = InetAddress.getByAddress(raw);
                } catch (java.net.UnknownHostException e) {
                    server.problem("addr", "'" + text + "' is not an IP address");
                }
            }
        }
        String observe = server.oneOf("observe", List.of("none", "layer4", "layer7"));
        int errorLimit = server.integer("error-limit", 1, 100_000);
        String onError = server.oneOf("on-error", List.of("fastinter", "fail-check", "sudden-death", "mark-down"));
        return new ServerCheckSettings(check, inter, fastInter, downInter, rise, fall, port, address,
                Observe.valueOf(observe.toUpperCase(Locale.ROOT)), errorLimit,
                OnError.valueOf(onError.toUpperCase(Locale.ROOT).replace('-', '_')), null, 0, 0);
    }

    /**
     * {@code observe} needs checks (only a check brings a server its errors took down back up: a
     * difference from HAProxy, which lets such a server stay down for good), and {@code layer7} an
     * HTTP backend, as in HAProxy.
     */
    void checkObserve(Settings.Server server, String path, String mode) {
        ServerCheckSettings s = server.check();
        if (s.observe() != Observe.NONE && !s.check()) {
            problems.add(new ConfigProblem(server.origin(), path + ".observe",
                    "observe needs check = true: only checks bring a server its errors took down back up"));
        }
        if (s.observe() == Observe.LAYER7 && !mode.equals("http")) {
            problems.add(new ConfigProblem(server.origin(), path + ".observe", "'layer7' can only be used in http proxies"));
        }
    }

    /** A server's settings with its backend's HTTP check and timeouts. */
    static ServerCheckSettings complete(ServerCheckSettings s, HttpCheck http, long checkTimeout, long connectTimeout) {
        return new ServerCheckSettings(s.check(), s.interMillis(), s.fastInterMillis(), s.downInterMillis(), s.rise(),
                s.fall(), s.port(), s.address(), s.observe(), s.errorLimit(), s.onError(), http, checkTimeout, connectTimeout);
    }

    /**
     * The backend's HTTP check: {@code httpchk = "GET /health"} (HAProxy's {@code option httpchk
     * [<method>] <uri> [<version>]}; {@code true} alone is {@code OPTIONS / HTTP/1.0}) with its
     * {@code http-check} lines; {@code null} when it checks with a TCP connect.
     */
    HttpCheck backend(Section be) {
        ConfigValue option = be.value("httpchk");
        ConfigValue rules = be.value("http-check");
        List<ConfigValue> lines = new ArrayList<>();
        if (rules != null) {
            if (rules.valueType() != ConfigValueType.LIST) {
                be.problem("http-check", "must be a list of http-check lines: [ \"expect status 200\" ]");
            } else {
                lines.addAll((ConfigList) rules);
            }
        }
        if (option == null || option.valueType() == ConfigValueType.BOOLEAN && !(Boolean) option.unwrapped()) {
            if (!lines.isEmpty()) {
                be.problem("http-check", "http-check lines need httpchk (HAProxy's option httpchk)");
            }
            return null;
        }
        String method = "OPTIONS";
        String uri = "/";
        String version = "HTTP/1.0";
        if (option.valueType() == ConfigValueType.STRING) {
            List<String> words = words(ConfigBytes.of((String) option.unwrapped()));
            if (words.size() == 1) {
                uri = words.get(0);
            } else if (words.size() == 2 || words.size() == 3) {
                method = words.get(0);
                uri = words.get(1);
                version = words.size() == 3 ? words.get(2) : version;
            } else {
                be.problem("httpchk", "must be \"[<method>] <uri> [<version>]\", e.g. \"GET /health\"");
                return null;
            }
        } else if (option.valueType() != ConfigValueType.BOOLEAN) {
            be.problem("httpchk", "must be \"[<method>] <uri> [<version>]\", e.g. \"GET /health\", or true");
            return null;
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        List<HttpCheckExpect> expects = new ArrayList<>();
        String body = "";
        for (ConfigValue line : lines) {
            String where = ConfigProblem.describe(line.origin());
            String key = be.path() + ".http-check";
            if (line.valueType() != ConfigValueType.STRING) {
                problems.add(line.origin(), key, "each http-check line must be a string");
                continue;
            }
            String text = (String) line.unwrapped();
            List<String> words = words(ConfigBytes.of(text));
            if (words.isEmpty()) {
                problems.add(line.origin(), key, "an empty http-check line");
                continue;
            }
            switch (words.get(0)) {
                case "send" -> {
                    for (int i = 1; i < words.size(); i++) {
                        String word = words.get(i);
                        if (i + 1 >= words.size() || word.equals("hdr") && i + 2 >= words.size()) {
                            problems.add(line.origin(), key, "'" + ConfigBytes.text(word) + "' expects a value in \"" + text + "\"");
                            break;
                        }
                        switch (word) {
                            case "meth" -> method = words.get(++i);
                            case "uri" -> uri = words.get(++i);
                            case "ver" -> version = words.get(++i);
                            case "body" -> body = words.get(++i);
                            case "hdr" -> headers.add(Map.entry(words.get(i + 1), words.get(i + 2)));
                            default -> problems.add(line.origin(), key, "'" + ConfigBytes.text(word) + "' in \"" + text
                                    + "\": send takes meth, uri, ver, hdr and body");
                        }
                        if (word.equals("hdr")) {
                            if (!HttpToken.isToken(words.get(i + 1))) {
                                problems.add(line.origin(), key, "'" + ConfigBytes.text(words.get(i + 1)) + "' is not a header name");
                            }
                            i += 2;
                        }
                    }
                }
                case "expect" -> {
                    HttpCheckExpect expect = expect(words, text, where, line, key);
                    if (expect != null) {
                        expects.add(expect);
                    }
                }
                default -> problems.add(line.origin(), key, "'" + ConfigBytes.text(words.get(0)) + "' in \"" + text
                        + "\": luagate's http-check takes send and expect lines");
            }
        }
        if (!METHODS.contains(method) && !HttpToken.isToken(method)) {
            be.problem("httpchk", "'" + ConfigBytes.text(method) + "' is not a method");
        }
        if (!version.equals("HTTP/1.0") && !version.equals("HTTP/1.1")) {
            be.problem("httpchk", "the version must be HTTP/1.0 or HTTP/1.1, not '" + ConfigBytes.text(version) + "'");
        }
        if (uri.isEmpty() || uri.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            be.problem("httpchk", "'" + ConfigBytes.text(uri) + "' is not a request target");
        }
        return new HttpCheck(method, uri, version, headers, body, expects);
    }

    private HttpCheckExpect expect(List<String> words, String text, String where, ConfigValue line, String key) {
        int i = 1;
        boolean negated = false;
        if (i < words.size() && words.get(i).equals("!")) {
            negated = true;
            i++;
        }
        if (i + 2 != words.size()) {
            problems.add(line.origin(), key, "\"" + text + "\": expect takes [!] status|rstatus|string|rstring <pattern>");
            return null;
        }
        String kind = words.get(i);
        String pattern = words.get(i + 1);
        HttpCheckExpect.Kind k;
        switch (kind) {
            case "status" -> {
                if (!STATUS_LIST.matcher(pattern).matches()) {
                    problems.add(line.origin(), key, "\"" + text + "\": '" + ConfigBytes.text(pattern)
                            + "' is not a status list (200, 200-399, 200,301-302)");
                    return null;
                }
                k = HttpCheckExpect.Kind.STATUS;
            }
            case "rstatus", "rstring" -> {
                try {
                    Pattern.compile(pattern);
                } catch (PatternSyntaxException e) {
                    problems.add(line.origin(), key, "\"" + text + "\": bad regex: " + e.getDescription());
                    return null;
                }
                k = kind.equals("rstatus") ? HttpCheckExpect.Kind.RSTATUS : HttpCheckExpect.Kind.RSTRING;
            }
            case "string" -> k = HttpCheckExpect.Kind.STRING;
            default -> {
                problems.add(line.origin(), key, "\"" + text + "\": '" + ConfigBytes.text(kind)
                        + "' is not one of status, rstatus, string, rstring");
                return null;
            }
        }
        return new HttpCheckExpect(k, negated, pattern, where);
    }

    /** HAProxy's word splitting: spaces separate, double quotes group, a backslash escapes the next character. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                word = word == null ? new StringBuilder() : word;
                word.append(text.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                word = word == null ? new StringBuilder() : word;
            } else if (!quoted && (c == ' ' || c == '\t')) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
