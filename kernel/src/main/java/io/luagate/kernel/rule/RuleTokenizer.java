package io.luagate.kernel.rule;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a rule into words the way HAProxy splits a configuration line: blanks separate words;
 * double quotes group and allow escapes; single quotes group literally. Inside or outside double
 * quotes, {@code \n \r \t \xNN} are decoded and {@code \ \# \\ \' \"} stand for the character;
 * any other backslash is kept as written, so regexes ({@code \d}) and back-references
 * ({@code \1}) reach the action intact. A word holds bytes, one {@code char} each: a character
 * above 0x7F becomes its UTF-8 bytes ({@link ConfigBytes}), while {@code \xNN} is the byte NN.
 */
public final class RuleTokenizer {

    private RuleTokenizer() {
    }

    public static List<Word> split(String rule) throws RuleSyntaxException {
        List<Word> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int start = -1;
        int i = 0;
        int n = rule.length();
        while (i < n) {
            char c = rule.charAt(i);
            if (c == ' ' || c == '\t') {
                if (start >= 0) {
                    words.add(new Word(current.toString(), start + 1));
                    current.setLength(0);
                    start = -1;
                }
                i++;
                continue;
            }
            if (start < 0) {
                start = i;
            }
            if (c == '"') {
                int open = i++;
                while (i < n && rule.charAt(i) != '"') {
                    if (rule.charAt(i) == '\\') {
                        i = escape(rule, i, current);
                    } else {
                        i = ConfigBytes.append(rule, i, current);
                    }
                }
                if (i >= n) {
                    throw new RuleSyntaxException(open + 1, "unmatched double quote");
                }
                i++;
            } else if (c == '\'') {
                int open = i++;
                int close = rule.indexOf('\'', i);
                if (close < 0) {
                    throw new RuleSyntaxException(open + 1, "unmatched single quote");
                }
                while (i < close) {
                    i = ConfigBytes.append(rule, i, current);
                }
                i = close + 1;
            } else if (c == '\\') {
                i = escape(rule, i, current);
            } else {
                i = ConfigBytes.append(rule, i, current);
            }
        }
        if (start >= 0) {
            words.add(new Word(current.toString(), start + 1));
        }
        return words;
    }

    /**
     * A format key's text ({@code log-format}, {@code unique-id-format}) as bytes: the one word
     * HAProxy takes there, read as the inside of double quotes without its quotes, so that
     * {@code \xe9} is the byte E9 while {@code é} is C3 A9. Blanks and quotes are kept as written.
     */
    public static String formatBytes(String text) throws RuleSyntaxException {
        if (text.indexOf('\\') < 0) {
            return ConfigBytes.of(text);
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            i = text.charAt(i) == '\\' ? escape(text, i, out) : ConfigBytes.append(text, i, out);
        }
        return out.toString();
    }

    /** Decodes the escape at {@code i} (a backslash) into {@code out}; returns the index after it. */
    private static int escape(String rule, int i, StringBuilder out) throws RuleSyntaxException {
        if (i + 1 >= rule.length()) {
            throw new RuleSyntaxException(i + 1, "a backslash ends the rule");
        }
        char next = rule.charAt(i + 1);
        switch (next) {
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'x' -> {
                try {
                    out.append((char) Integer.parseInt(rule.substring(i + 2, i + 4), 16));
                } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                    throw new RuleSyntaxException(i + 1, "\\x needs two hex digits");
                }
                return i + 4;
            }
            case ' ', '#', '\\', '\'', '"' -> out.append(next);
            // Anything else keeps its backslash, as in HAProxy: regexes (\d, \.) and back-references (\1).
            default -> {
                out.append('\\');
                return ConfigBytes.append(rule, i + 1, out);
            }
        }
        return i + 2;
    }
}
