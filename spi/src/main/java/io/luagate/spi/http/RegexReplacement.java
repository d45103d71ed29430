package io.luagate.spi.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HAProxy's regex replacement ({@code exp_replace}), shared by the configuration's
 * {@code replace-header}/{@code replace-value}/{@code replace-uri} and Lua's {@code *_rep_header}
 * and {@code *_rep_value}: when the regex matches anywhere in a value, the whole value becomes the
 * replacement text with {@code \0}..{@code \9} standing for the match's groups, {@code \xHH}
 * for a byte and a backslash before any other character for that character.
 */
public final class RegexReplacement {

    private RegexReplacement() {
    }

    /** The replaced {@code input}, or {@code input} itself when the regex does not match. */
    public static String whole(Pattern regex, String input, String replacement) {
        Matcher m = regex.matcher(input);
        if (!m.find()) {
            return input;
        }
        if (replacement.indexOf('\\') < 0) {
            return replacement;
        }
        StringBuilder out = new StringBuilder(replacement.length() + input.length());
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
                // \xHH is one byte (a char of the Latin-1 text that carries bytes).
                out.append((char) ((hexDigit(replacement.charAt(i + 1)) << 4) + hexDigit(replacement.charAt(i + 2)) & 0xff));
                i += 2;
            } else {
                // Any other escaped character stands for itself, as exp_replace copies it.
                out.append(next);
            }
        }
        return out.toString();
    }

    /** As HAProxy's hex2i reads a digit: no check, whatever the character. */
    private static int hexDigit(char c) {
        int digit = Character.toUpperCase(c) - '0';
        return digit > 9 ? digit - ('A' - '9' - 1) : digit;
    }

    /**
     * HAProxy 2.6's {@code http_replace_hdrs} on one header line, value by value: values are
     * separated by commas outside double quotes, each is matched without its surrounding blanks,
     * a matched value is rewritten without those blanks, and the other values and separators are
     * kept byte for byte.
     */
    public static String eachValue(Pattern regex, String line, String replacement) {
        StringBuilder out = null;
        int start = 0;
        while (start <= line.length()) {
            int end = valueEnd(line, start);
            int from = start;
            int to = end;
            while (from < to && blank(line.charAt(from))) {
                from++;
            }
            while (to > from && blank(line.charAt(to - 1))) {
                to--;
            }
            String value = line.substring(from, to);
            String replaced = whole(regex, value, replacement);
            if (replaced != value) {
                if (out == null) {
                    out = new StringBuilder(line.length() + replacement.length()).append(line, 0, start);
                }
                out.append(replaced);
            } else if (out != null) {
                out.append(line, start, end);
            }
            if (end < line.length() && out != null) {
                out.append(',');
            }
            start = end + 1;
        }
        return out == null ? line : out.toString();
    }

    /** The index of the comma ending the value at {@code start} (quotes and their escapes respected), or the length. */
    private static int valueEnd(String line, int start) {
        boolean quoted = false;
        for (int i = start; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                return i;
            }
        }
        return line.length();
    }

    private static boolean blank(char c) {
        return c == ' ' || c == '\t';
    }
}
