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

    /** The words from {@code from} on as written, joined by one space. */
    String rawFrom(int from) {
        return String.join(" ", rawWords.subList(Math.min(from, rawWords.size()), rawWords.size()));
    }
}
