package io.luagate.kernel.importer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * HAProxy 2.6's line syntax (tools.c parse_line(), checked against haproxy 2.6.12): words split on
 * blanks; {@code #} outside quotes ends the line; a backslash escapes a blank, {@code # \ ' " $} and
 * reads {@code \r \n \t \xNN}; single quotes take everything literally; double quotes keep escapes
 * and expand {@code $NAME}, {@code ${NAME}} and {@code ${NAME-default}} (an unset variable is
 * empty). Variables are expanded only inside double quotes, as 2.6 does.
 */
final class LineTokenizer {

    private final UnaryOperator<String> env;

    /** @param env the environment: a variable's value, or null when unset */
    LineTokenizer(UnaryOperator<String> env) {
        this.env = env;
    }

    ConfigLine split(String file, int number, String text) throws ConfigSyntaxException {
        List<String> words = new ArrayList<>();
        List<String> raws = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        StringBuilder raw = new StringBuilder();
        boolean inWord = false;
        boolean squote = false;
        boolean dquote = false;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (!squote && !dquote && (c == ' ' || c == '\t' || c == '\r')) {
                if (inWord) {
                    words.add(word.toString());
                    raws.add(raw.toString());
                    word.setLength(0);
                    raw.setLength(0);
                    inWord = false;
                }
                i++;
                continue;
            }
            if (!squote && !dquote && c == '#') {
                break;
            }
            inWord = true;
            if (squote) {
                if (c == '\'') {
                    squote = false;
                } else {
                    word.append(c);
                }
                raw.append(c);
                i++;
            } else if (c == '\\' && i + 1 < n) {
                i = escape(text, i, word, raw);
            } else if (c == '\'' && !dquote) {
                squote = true;
                raw.append(c);
                i++;
            } else if (c == '"') {
                dquote = !dquote;
                raw.append(c);
                i++;
            } else if (c == '$' && dquote) {
                i = variable(text, i, word, raw);
            } else {
                word.append(c);
                raw.append(c);
                i++;
            }
        }
        if (squote || dquote) {
            throw new ConfigSyntaxException("unmatched " + (squote ? "single" : "double") + " quote");
        }
        if (inWord) {
            words.add(word.toString());
            raws.add(raw.toString());
        }
        return new ConfigLine(file, number, text, List.copyOf(words), List.copyOf(raws));
    }

    /**
     * A word as written ({@link ConfigLine#rawWords}) as luagate's format keys read it
     * ({@code log-format}, {@code unique-id-format}: the escapes of a double-quoted word, without
     * quotes): quotes dropped, escapes kept as written so that {@code \xe9} stays the one byte E9,
     * a single-quoted backslash doubled. The decoded word cannot tell {@code \xe9} from {@code é}.
     */
    static String formatText(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        boolean squote = false;
        boolean dquote = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (squote) {
                if (c == '\'') {
                    squote = false;
                } else {
                    out.append(c == '\\' ? "\\\\" : String.valueOf(c));
                }
            } else if (c == '\'' && !dquote) {
                squote = true;
            } else if (c == '"') {
                dquote = !dquote;
            } else if (c == '\\' && i + 1 < raw.length()) {
                // Escapes read alike there, but for \$, which only HAProxy's line knows.
                char next = raw.charAt(++i);
                if (next != '$') {
                    out.append('\\');
                }
                out.append(next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int escape(String text, int i, StringBuilder word, StringBuilder raw) throws ConfigSyntaxException {
        char next = text.charAt(i + 1);
        switch (next) {
            case ' ', '#', '\\', '\'', '"', '$' -> word.append(next);
            case 'r' -> word.append('\r');
            case 'n' -> word.append('\n');
            case 't' -> word.append('\t');
            case 'x' -> {
                if (i + 3 >= text.length() || Character.digit(text.charAt(i + 2), 16) < 0
                        || Character.digit(text.charAt(i + 3), 16) < 0) {
                    throw new ConfigSyntaxException("truncated or invalid hexadecimal sequence");
                }
                word.append((char) Integer.parseInt(text.substring(i + 2, i + 4), 16));
                raw.append(text, i, i + 4);
                return i + 4;
            }
            default -> word.append('\\').append(next);
        }
        raw.append('\\').append(next);
        return i + 2;
    }

    private int variable(String text, int i, StringBuilder word, StringBuilder raw) throws ConfigSyntaxException {
        int start = i + 1;
        boolean braces = start < text.length() && text.charAt(start) == '{';
        int nameStart = braces ? start + 1 : start;
        int end = nameStart;
        while (end < text.length() && isNameChar(text.charAt(end))) {
            end++;
        }
        if (end == nameStart || Character.isDigit(text.charAt(nameStart))) {
            throw new ConfigSyntaxException("forbidden first char in environment variable name at position " + (nameStart + 1));
        }
        String name = text.substring(nameStart, end);
        String fallback = null;
        int next = end;
        if (braces) {
            int close = text.indexOf('}', end);
            if (close < 0) {
                throw new ConfigSyntaxException("no closing brace for variable '" + name + "'");
            }
            String rest = text.substring(end, close);
            if (rest.equals("[*]")) {
                throw new ConfigSyntaxException("\"${" + name + "[*]}\" (a variable split into several words) is not translated");
            } else if (rest.startsWith("-")) {
                fallback = rest.substring(1);
            } else if (!rest.isEmpty()) {
                throw new ConfigSyntaxException("unexpected '" + rest + "' in variable '" + name + "'");
            }
            next = close + 1;
        }
        String value = env.apply(name);
        if (value == null) {
            value = fallback == null ? "" : fallback;
        }
        word.append(value);
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            if (c == '\\' || c == '"' || c == '$') {
                raw.append('\\');
            }
            raw.append(c);
        }
        return next;
    }

    private static boolean isNameChar(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
