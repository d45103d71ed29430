package io.luagate.kernel.rule.action;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.expr.LogFormat;
import io.luagate.spi.http.AsciiFold;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.http.RegexReplacement;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code set-header}, {@code add-header}, {@code del-header}, {@code replace-header}, {@code replace-value}. */
final class HeaderActions {

    private HeaderActions() {
    }

    static Action setHeader(ActionSyntax syntax) throws RuleSyntaxException {
        return write(syntax, HttpHead::setHeader);
    }

    static Action addHeader(ActionSyntax syntax) throws RuleSyntaxException {
        return write(syntax, HttpHead::addHeader);
    }

    /** A header action of the form {@code <action> <name> <fmt>}. */
    private interface HeaderWrite {
        void apply(HttpHead head, String name, String value);
    }

    private static Action write(ActionSyntax syntax, HeaderWrite write) throws RuleSyntaxException {
        syntax.expect(2, 2);
        String name = syntax.headerName(0);
        LogFormat value = syntax.headerValue(1);
        Side side = syntax.side();
        return txn -> {
            HttpHead head = side.head(txn);
            if (head != null) {
                write.apply(head, name, value.render(txn));
            }
            return Verdict.CONTINUE;
        };
    }

    /** {@code del-header <name> [-m str|beg|end|sub|reg]}: by default the exact name (case-insensitive). */
    static Action delHeader(ActionSyntax syntax) throws RuleSyntaxException {
        syntax.expect(1, 3);
        String name = syntax.word(0).text();
        Side side = syntax.side();
        if (syntax.count() == 1) {
            return txn -> {
                HttpHead head = side.head(txn);
                if (head != null) {
                    head.removeHeader(name);
                }
                return Verdict.CONTINUE;
            };
        }
        if (syntax.count() != 3 || !syntax.word(1).text().equals("-m")) {
            throw syntax.error("takes <name> [-m str|beg|end|sub|reg]");
        }
        String method = syntax.word(2).text();
        String lower = AsciiFold.fold(name);
        java.util.function.Predicate<String> matches = switch (method) {
            case "str" -> n -> AsciiFold.equalsIgnoreCase(n, name);
            // Compared in place: a folded copy of every header name would be made on every request.
            case "beg" -> n -> n.length() >= lower.length() && AsciiFold.regionEquals(n, 0, lower, 0, lower.length(), true);
            case "end" -> n -> n.length() >= lower.length()
                    && AsciiFold.regionEquals(n, n.length() - lower.length(), lower, 0, lower.length(), true);
            case "sub" -> n -> AsciiFold.containsIgnoreCase(n, lower);
            case "reg" -> {
                Pattern pattern = regex(syntax, 0);
                yield n -> pattern.matcher(n).find();
            }
            default -> throw syntax.error("match method must be str, beg, end, sub or reg, not '" + method + "'");
        };
        return txn -> {
            HttpHead head = side.head(txn);
            if (head != null) {
                List<String> doomed = new ArrayList<>();
                head.forEachHeader((n, v) -> {
                    if (matches.test(n)) {
                        doomed.add(n);
                    }
                });
                doomed.forEach(head::removeHeader);
            }
            return Verdict.CONTINUE;
        };
    }

    /**
     * {@code replace-header <name> <regex> <fmt>} (whole lines) and {@code replace-value} (each
     * comma-separated value, see {@link RegexReplacement#eachValue}): a value the regex matches is
     * replaced by the format, where {@code \1}..{@code \9} stand for the regex's groups.
     */
    static Action replace(ActionSyntax syntax, boolean eachValue) throws RuleSyntaxException {
        syntax.expect(3, 3);
        String name = syntax.word(0).text();
        Pattern regex = regex(syntax, 1);
        LogFormat replacement = syntax.format(2);
        Side side = syntax.side();
        return txn -> {
            HttpHead head = side.head(txn);
            if (head == null) {
                return Verdict.CONTINUE;
            }
            List<String> lines = head.headers(name);
            if (lines.isEmpty()) {
                return Verdict.CONTINUE;
            }
            String format = replacement.render(txn);
            List<String> updated = new ArrayList<>(lines.size());
            boolean changed = false;
            for (String line : lines) {
                String result = eachValue ? RegexReplacement.eachValue(regex, line, format) : RegexReplacement.whole(regex, line, format);
                changed |= !result.equals(line);
                updated.add(result);
            }
            if (changed) {
                head.removeHeader(name);
                updated.forEach(line -> head.addHeader(name, line));
            }
            return Verdict.CONTINUE;
        };
    }

    static Pattern regex(ActionSyntax syntax, int index) throws RuleSyntaxException {
        String text = syntax.word(index).text();
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw new RuleSyntaxException(syntax.word(index).column(), "bad regex '" + text + "': " + e.getDescription());
        }
    }
}
