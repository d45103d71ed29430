package io.luagate.plugin.runtimeapi;

/**
 * HAProxy's word fingerprints ({@code update_word_fingerprint}, {@code word_fingerprint_distance}
 * in src/tools.c), with which its CLI proposes the commands closest to an unknown one: a 32x32
 * table of transitions between character classes (letters, digit, other, begin/end), compared
 * cell by cell.
 */
final class WordFingerprint {

    private final int[] cells = new int[1024];

    /** Adds the transitions of {@code word}. */
    void add(String word) {
        int from = 28;
        for (int i = 0; i < word.length(); i++) {
            char c = Character.toLowerCase(word.charAt(i));
            int to;
            if (c >= 'a' && c <= 'z') {
                to = c - 'a' + 1;
            } else if (c >= '0' && c <= '9') {
                to = 27;
            } else {
                to = 28;
            }
            cells[to] = 1;
            // HAProxy's cells are bytes: counts wrap at 256.
            cells[32 * from + to] = (cells[32 * from + to] + 1) & 0xff;
            from = to;
        }
        cells[32 * from + 28] = (cells[32 * from + 28] + 1) & 0xff;
    }

    /** The sum of the differences between the cells of the two fingerprints. */
    int distance(WordFingerprint other) {
        int dist = 0;
        for (int i = 0; i < cells.length; i++) {
            dist += Math.abs(cells[i] - other.cells[i]);
        }
        return dist;
    }
}
