package io.luagate.kernel.rule.expr;

import io.luagate.kernel.rule.RuleSyntaxException;

/**
 * Splits HAProxy's log-format text into literal text, {@code %[expr]} expressions and
 * {@code %alias} names, with the {@code %{+Q}} flag; {@code %%} is a literal percent sign. Shared
 * by rule values ({@link LogFormat}) and access-log lines, which give aliases different meanings.
 */
public final class LogFormatScanner {

    /** Receives the pieces in order; offsets are 0-based in the scanned text. */
    public interface Sink {
        void literal(String text);

        void expr(String expr, int offset, boolean quoted) throws RuleSyntaxException;

        void alias(String name, int offset, boolean quoted) throws RuleSyntaxException;
    }

    private LogFormatScanner() {
    }

    /** @param column where {@code text} starts in its rule, for error positions */
    public static void scan(String text, int column, Sink sink) throws RuleSyntaxException {
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '%') {
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 < text.length() && text.charAt(i + 1) == '%') {
                literal.append('%');
                i += 2;
                continue;
            }
            int start = i++;
            boolean quoted = false;
            if (i < text.length() && text.charAt(i) == '{') {
                int close = text.indexOf('}', i);
                if (close < 0) {
                    throw new RuleSyntaxException(column + start, "missing '}' after '%{' in \"" + text + "\"");
                }
                for (String flag : text.substring(i + 1, close).split(",")) {
                    switch (flag) {
                        case "+Q" -> quoted = true;
                        // Escaping variants are accepted; values are written as they are.
                        case "-Q", "+X", "-X", "+E", "-E", "" -> {
                        }
                        default -> throw new RuleSyntaxException(column + start, "unknown log-format flag '" + flag + "'");
                    }
                }
                i = close + 1;
            }
            if (literal.length() > 0) {
                sink.literal(literal.toString());
                literal.setLength(0);
            }
            if (i < text.length() && text.charAt(i) == '[') {
                int close = LogFormat.closingBracket(text, i + 1);
                if (close < 0) {
                    throw new RuleSyntaxException(column + start, "missing ']' after '%[' in \"" + text + "\"");
                }
                sink.expr(text.substring(i + 1, close), i + 1, quoted);
                i = close + 1;
                continue;
            }
            int end = i;
            while (end < text.length() && Character.isLetter(text.charAt(end))) {
                end++;
            }
            if (end == i) {
                throw new RuleSyntaxException(column + start, "'%' must start '%[expr]', an alias or be written '%%' in \"" + text + "\"");
            }
            sink.alias(text.substring(i, end), start, quoted);
            i = end;
        }
        if (literal.length() > 0) {
            sink.literal(literal.toString());
        }
    }
}
