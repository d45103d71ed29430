package io.luagate.kernel.rule.acl;

import io.luagate.spi.pattern.FileNameBytes;
import io.luagate.kernel.rule.ConfigBytes;
import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.Word;
import io.luagate.kernel.rule.expr.ExprParser;
import io.luagate.kernel.rule.expr.SampleExpr;
import io.luagate.kernel.rule.auth.AuthFetches;
import io.luagate.kernel.rule.fetch.BuiltinFetches;
import io.luagate.kernel.rule.match.MatchMethod;
import io.luagate.kernel.rule.match.Matcher;
import io.luagate.kernel.rule.match.Pattern;
import io.luagate.kernel.rule.match.PatternException;
import io.luagate.kernel.rule.match.Patterns;
import io.luagate.kernel.rule.sample.CompileContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compiles ACL definitions: {@code <criterion> [-i] [-m method] [-f file]... [-M] [--] [pattern]...}.
 * The criterion is a sample expression, or one of HAProxy's derived keywords: a fetch name with a
 * match suffix ({@code path_beg}, {@code hdr_sub(host)}, {@code url_reg}, {@code hdr_val(x)}...).
 */
public final class AclCompiler {

    private static final Map<String, MatchMethod> SUFFIXES = Map.ofEntries(
            Map.entry("_beg", MatchMethod.BEG), Map.entry("_end", MatchMethod.END),
            Map.entry("_sub", MatchMethod.SUB), Map.entry("_reg", MatchMethod.REG),
            Map.entry("_dir", MatchMethod.DIR), Map.entry("_dom", MatchMethod.DOM),
            Map.entry("_len", MatchMethod.LEN), Map.entry("_str", MatchMethod.STR),
            Map.entry("_ip", MatchMethod.IP), Map.entry("_found", MatchMethod.FOUND),
            Map.entry("_int", MatchMethod.INT), Map.entry("_val", MatchMethod.INT),
            Map.entry("_bool", MatchMethod.BOOL), Map.entry("_bin", MatchMethod.BIN));

    /** HAProxy's predefined ACLs, as the definitions they stand for. */
    private static final Map<String, String> PREDEFINED = Map.ofEntries(
            Map.entry("TRUE", "always_true"),
            Map.entry("FALSE", "always_false"),
            Map.entry("LOCALHOST", "src 127.0.0.1/8 ::1"),
            Map.entry("HTTP", "req.proto_http"),
            Map.entry("HTTP_1.0", "req.ver 1.0"),
            Map.entry("HTTP_1.1", "req.ver 1.1"),
            Map.entry("HTTP_CONTENT", "hdr_val(content-length) gt 0"),
            Map.entry("HTTP_URL_ABS", "url_reg ^[^/:]*://"),
            Map.entry("HTTP_URL_SLASH", "url_beg /"),
            Map.entry("HTTP_URL_STAR", "url *"),
            Map.entry("METH_CONNECT", "method CONNECT"),
            Map.entry("METH_DELETE", "method DELETE"),
            Map.entry("METH_GET", "method GET HEAD"),
            Map.entry("METH_HEAD", "method HEAD"),
            Map.entry("METH_OPTIONS", "method OPTIONS"),
            Map.entry("METH_POST", "method POST"),
            Map.entry("METH_PUT", "method PUT"),
            Map.entry("METH_TRACE", "method TRACE"));

    private final CompileContext context;
    private final ExprParser exprs;

    public AclCompiler(CompileContext context) {
        this.context = context;
        this.exprs = new ExprParser(context);
    }

    /** The predefined ACL {@code name} compiled, or {@code null} when there is none of that name. */
    public Acl predefined(String name, String origin) throws RuleSyntaxException {
        String definition = PREDEFINED.get(name);
        if (definition == null) {
            return null;
        }
        List<Word> words = new ArrayList<>();
        for (String text : definition.split(" ")) {
            words.add(new Word(text, 0));
        }
        return compile(name, words, origin);
    }

    /**
     * Compiles one definition.
     *
     * @param name   the ACL's name (or its text when anonymous)
     * @param words  the definition's words
     * @param origin where it was written, for pattern errors
     */
    public Acl compile(String name, List<Word> words, String origin) throws RuleSyntaxException {
        if (words.isEmpty()) {
            throw new RuleSyntaxException(0, "ACL '" + name + "' has no criterion");
        }
        Word criterion = words.get(0);
        String text = criterion.text();
        String keyword = keyword(text);
        SampleExpr expr;
        MatchMethod method;
        if (context.registry().fetch(keyword) != null) {
            expr = exprs.parse(text, criterion.column());
            method = defaultMatch(keyword, expr);
        } else {
            Derived derived = derived(keyword);
            if (derived == null) {
                throw new RuleSyntaxException(criterion.column(), "unknown fetch method '" + keyword + "' in ACL");
            }
            expr = exprs.parse(derived.fetch + text.substring(keyword.length()), criterion.column());
            method = derived.method;
        }
        boolean ignoreCase = false;
        boolean explicitMethod = false;
        boolean mapFiles = false;
        List<String> files = new ArrayList<>();
        int i = 1;
        for (; i < words.size(); i++) {
            Word word = words.get(i);
            String flag = word.text();
            if (flag.equals("--")) {
                i++;
                break;
            }
            if (!flag.startsWith("-") || flag.length() < 2 || Character.isDigit(flag.charAt(1))) {
                break;
            }
            switch (flag) {
                case "-i" -> ignoreCase = true;
                case "-n" -> {
                    // No DNS resolution: there is none anyway.
                }
                case "-M" -> mapFiles = true;
                case "-m" -> {
                    Word value = argument(words, ++i, flag);
                    explicitMethod = true;
                    method = MatchMethod.parse(value.text());
                    if (method == null) {
                        throw new RuleSyntaxException(value.column(), "unknown match method '" + value.text() + "'");
                    }
                }
                case "-f" -> files.add(argument(words, ++i, flag).text());
                case "-u" -> argument(words, ++i, flag);
                default -> throw new RuleSyntaxException(word.column(), "unknown ACL flag '" + flag + "'");
            }
        }
        if (method == null) {
            throw new RuleSyntaxException(criterion.column(), "'" + keyword
                    + "' has no type of its own: the match method must be given with -m (as in HAProxy)");
        }
        List<Pattern> patterns = new ArrayList<>();
        for (; i < words.size(); i++) {
            patterns.add(new Pattern(words.get(i).text(), origin));
        }
        if (keyword.equals("http_auth_group") && !explicitMethod && files.isEmpty()) {
            // HAProxy's pat_match_auth: the patterns are groups of the userlist.
            return new Acl(name, expr, MatchMethod.STR, AuthFetches.groupMatcher(text, patterns, context, criterion.column()));
        }
        if (!method.takesPatterns()) {
            if (!patterns.isEmpty() || !files.isEmpty()) {
                throw new RuleSyntaxException(words.get(words.size() - 1).column(),
                        "match method '" + method.name().toLowerCase() + "' takes no pattern");
            }
            return new Acl(name, expr, method, null);
        }
        return new Acl(name, expr, method, matcher(method, patterns, files, mapFiles, ignoreCase, criterion));
    }

    /** Inline patterns and pattern files (live: runtime updates reach them), any of which may match. */
    private Matcher matcher(MatchMethod method, List<Pattern> patterns, List<String> files, boolean mapFiles,
                            boolean ignoreCase, Word criterion) throws RuleSyntaxException {
        try {
            List<Matcher> all = new ArrayList<>();
            if (!patterns.isEmpty() || files.isEmpty()) {
                all.add(Patterns.compile(method, patterns, ignoreCase));
            }
            for (String word : files) {
                // A rule's words hold bytes; the file system's name is their UTF-8.
                String file = FileNameBytes.decode(word);
                all.add(mapFiles ? context.maps().map(file).matcher(method, ignoreCase)
                        : context.maps().acl(file).matcher(method, ignoreCase));
            }
            return all.size() == 1 ? all.get(0) : Patterns.anyOf(all);
        } catch (PatternException e) {
            throw new RuleSyntaxException(criterion.column(), ConfigBytes.of(e.origin()) + ": " + e.getMessage());
        }
    }

    private static Word argument(List<Word> words, int index, String flag) throws RuleSyntaxException {
        if (index >= words.size()) {
            throw new RuleSyntaxException(words.get(index - 1).column(), "flag '" + flag + "' needs a value");
        }
        return words.get(index);
    }

    /** The fetch keyword of a criterion: its text up to '(' or ','. */
    private static String keyword(String text) {
        int end = text.length();
        int paren = text.indexOf('(');
        int comma = text.indexOf(',');
        if (paren >= 0) {
            end = paren;
        }
        if (comma >= 0 && comma < end) {
            end = comma;
        }
        return text.substring(0, end);
    }

    private record Derived(String fetch, MatchMethod method) {
    }

    /** Output types of converters, for the match method an ACL uses when none is given. */
    private static final Map<String, MatchMethod> CONVERTER_OUTPUT = Map.ofEntries(
            Map.entry("length", MatchMethod.INT), Map.entry("add", MatchMethod.INT), Map.entry("sub", MatchMethod.INT),
            Map.entry("mul", MatchMethod.INT), Map.entry("div", MatchMethod.INT), Map.entry("mod", MatchMethod.INT),
            Map.entry("neg", MatchMethod.INT), Map.entry("and", MatchMethod.INT), Map.entry("or", MatchMethod.INT),
            Map.entry("xor", MatchMethod.INT), Map.entry("cpl", MatchMethod.INT), Map.entry("hex2i", MatchMethod.INT),
            Map.entry("crc32", MatchMethod.INT), Map.entry("crc32c", MatchMethod.INT), Map.entry("djb2", MatchMethod.INT),
            Map.entry("sdbm", MatchMethod.INT), Map.entry("wt6", MatchMethod.INT), Map.entry("xxh32", MatchMethod.INT),
            Map.entry("xxh64", MatchMethod.INT), Map.entry("strcmp", MatchMethod.INT),
            Map.entry("bool", MatchMethod.BOOL), Map.entry("not", MatchMethod.BOOL), Map.entry("odd", MatchMethod.BOOL),
            Map.entry("even", MatchMethod.BOOL), Map.entry("secure_memcmp", MatchMethod.BOOL),
            Map.entry("ipmask", MatchMethod.IP), Map.entry("sha1", MatchMethod.BIN), Map.entry("sha2", MatchMethod.BIN),
            Map.entry("digest", MatchMethod.BIN), Map.entry("hmac", MatchMethod.BIN), Map.entry("b64dec", MatchMethod.BIN),
            Map.entry("ub64dec", MatchMethod.BIN));

    /**
     * The match method of an ACL without {@code -m}: from the type of the last converter if any
     * (HAProxy types the expression's output), else the fetch's. {@code var()} has no type of its
     * own: HAProxy requires {@code -m} there.
     */
    private static MatchMethod defaultMatch(String fetch, SampleExpr expr) throws RuleSyntaxException {
        String last = lastConverter(expr.text());
        if (last == null) {
            return fetch.equals("var") ? null : fetch.equals("http_auth") ? MatchMethod.BOOL : BuiltinFetches.defaultMatch(fetch);
        }
        if (last.startsWith("map")) {
            return last.endsWith("_int") ? MatchMethod.INT : last.endsWith("_ip") ? MatchMethod.IP : MatchMethod.STR;
        }
        return CONVERTER_OUTPUT.getOrDefault(last, MatchMethod.STR);
    }

    /** The name of the last converter of an expression (after its last top-level comma), or null. */
    private static String lastConverter(String text) {
        int depth = 0;
        int lastComma = -1;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                lastComma = i;
            }
        }
        if (lastComma < 0) {
            return null;
        }
        String tail = text.substring(lastComma + 1);
        int paren = tail.indexOf('(');
        return paren < 0 ? tail : tail.substring(0, paren);
    }

    private Derived derived(String keyword) {
        for (Map.Entry<String, MatchMethod> suffix : SUFFIXES.entrySet()) {
            if (keyword.endsWith(suffix.getKey())) {
                String base = keyword.substring(0, keyword.length() - suffix.getKey().length());
                if (context.registry().fetch(base) != null) {
                    return new Derived(base, suffix.getValue());
                }
            }
        }
        return null;
    }
}
