package io.luagate.kernel.rule.conv;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.sample.Args;
import io.luagate.kernel.rule.sample.CompileContext;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.Converter;
import io.luagate.spi.sample.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code regsub(<regex>,<subst>[,<flags>])}: sed's s/regex/subst/ with the flags "i" (ignore
 * case) and "g" (every match). The substitution knows \0 to \9 (groups), \xHH (a byte) and
 * \c (the character c). The matching loop is HAProxy's (sample_conv_regsub()): after a match
 * the search restarts where it ended, with "^" no longer matching there, and a match that is
 * empty at the restart position copies one character before moving on, so that
 * {@code str(xab),regsub(x*,-,g)} is "--a-b-" as in HAProxy.
 *
 * <p>Regexes are Java's, compiled once, byte-oriented like PCRE without UTF mode ({@code .} stops
 * at "\n" only; "i" folds ASCII only); PCRE-only syntax is a load error.
 */
final class Regsub implements Converter {

    private final Pattern pattern;
    private final boolean global;
    private final List<Object> substitution;

    private Regsub(Pattern pattern, boolean global, List<Object> substitution) {
        this.pattern = pattern;
        this.global = global;
        this.substitution = substitution;
    }

    static void register(SampleRegistry registry) {
        registry.converter("regsub", Regsub::compile);
    }

    private static Regsub compile(Args args, CompileContext context) throws RuleSyntaxException {
        ConvArgs.count(args, 2, 3);
        boolean ignoreCase = false;
        boolean global = false;
        for (char flag : ConvArgs.string(args, 2).toCharArray()) {
            switch (flag) {
                case 'i' -> ignoreCase = true;
                case 'g' -> global = true;
                default -> throw args.error("invalid regex flag '" + flag + "', only 'i' and 'g' are supported");
            }
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(args.all().get(0), Pattern.UNIX_LINES | (ignoreCase ? Pattern.CASE_INSENSITIVE : 0));
        } catch (PatternSyntaxException e) {
            throw args.error("regex '" + args.all().get(0) + "' is invalid: " + e.getDescription());
        }
        return new Regsub(pattern, global, substitution(args, args.all().get(1)));
    }

    /**
     * The substitution as literal strings and group numbers (Integer), parsed like exp_replace().
     * A trailing lone backslash or a truncated \x makes HAProxy 2.6 emit garbage at run time; here
     * it is a load error.
     */
    private static List<Object> substitution(Args args, String subst) throws RuleSyntaxException {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < subst.length(); i++) {
            char c = subst.charAt(i);
            if (c != '\\') {
                literal.append(c);
                continue;
            }
            if (++i == subst.length()) {
                throw args.error("substitution '" + subst + "' ends with a lone backslash");
            }
            c = subst.charAt(i);
            if (c >= '0' && c <= '9') {
                if (!literal.isEmpty()) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                parts.add(c - '0');
            } else if (c == 'x') {
                if (i + 2 >= subst.length()) {
                    throw args.error("substitution '" + subst + "' has a truncated \\x sequence");
                }
                literal.append((char) ((hexNibble(subst.charAt(i + 1)) << 4) + hexNibble(subst.charAt(i + 2)) & 0xff));
                i += 2;
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            parts.add(literal.toString());
        }
        return List.copyOf(parts);
    }

    /** exp_replace()'s nibble: toupper(c) - '0', minus 7 past '9' (garbage in, garbage out, as in C). */
    private static int hexNibble(char c) {
        int v = (Character.toUpperCase(c) - '0') & 0xff;
        return v > 9 ? (v - 7) & 0xff : v;
    }

    @Override
    public Object convert(Transaction txn, Object input) {
        String s = Samples.asString(input);
        if (s == null) {
            return null;
        }
        Matcher m = pattern.matcher(s);
        m.useTransparentBounds(false);
        StringBuilder out = new StringBuilder(s.length() + 16);
        int start = 0;
        int end = s.length();
        boolean notBol = false;
        while (true) {
            boolean found = false;
            if (global || !notBol) {
                m.region(start, end);
                // PCRE's NOTBOL: '^' no longer matches at the restart position.
                m.useAnchoringBounds(!notBol);
                found = m.find();
            }
            if (!found) {
                out.append(s, start, end);
                break;
            }
            out.append(s, start, m.start());
            for (Object part : substitution) {
                if (part instanceof String text) {
                    out.append(text);
                } else {
                    int group = (Integer) part;
                    if (group <= m.groupCount() && m.start(group) >= 0) {
                        out.append(s, m.start(group), m.end(group));
                    }
                }
            }
            if (start >= end) {
                break;
            }
            int next = m.end();
            if (next == start) {
                out.append(s.charAt(start));
                next++;
            }
            start = next;
            notBol = true;
        }
        return out.toString();
    }
}
