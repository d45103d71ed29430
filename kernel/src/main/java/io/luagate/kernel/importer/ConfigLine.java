package io.luagate.kernel.importer;

import java.util.List;

/**
 * One line of an HAProxy configuration, split into words.
 *
 * @param file     the file name as reported ({@code haproxy.cfg})
 * @param number   the line number, from 1
 * @param text     the line as written, without its end of line
 * @param words    the words as HAProxy reads them: quotes removed, escapes and variables applied
 * @param rawWords the same words as written (quotes and escapes kept) with variables expanded, for
 *                 rule text that luagate's own HAProxy-syntax parser reads again
 */
record ConfigLine(String file, int number, String text, List<String> words, List<String> rawWords) {

    String keyword() {
        return words.isEmpty() ? "" : words.get(0);
    }

    String word(int i) {
        return i < words.size() ? words.get(i) : null;
    }

    int size() {
        return words.size();
    }

    /** {@code file:line}, the prefix of every note about this line. */
    String where() {
        return file + ":" + number;
    }

    /**
     * Whether word {@code i} is written with an escape of a byte above 0x7F ({@code \xe9}): a
     * HOCON string holds characters, each read back as its UTF-8 bytes, so a key that is no
     * format cannot hold that one byte (nor {@code \xc3\xa9} as two: they come back as four).
     */
    boolean escapesHighByte(int i) {
        String raw = rawWords.get(i);
        boolean squote = false;
        boolean dquote = false;
        for (int j = 0; j < raw.length(); j++) {
            char c = raw.charAt(j);
            if (squote) {
                squote = c != '\'';
            } else if (c == '\'' && !dquote) {
                squote = true;
            } else if (c == '"') {
                dquote = !dquote;
            } else if (c == '\\' && j + 1 < raw.length()) {
                if (raw.charAt(j + 1) == 'x' && j + 3 < raw.length()
                        && Character.digit(raw.charAt(j + 2), 16) >= 8 && Character.digit(raw.charAt(j + 3), 16) >= 0) {
                    return true;
                }
                j++;
            }
        }
        return false;
    }

    /** The words from {@code from} on as written, joined by one space. */
    String rawFrom(int from) {
        return String.join(" ", rawWords.subList(Math.min(from, rawWords.size()), rawWords.size()));
    }
}
