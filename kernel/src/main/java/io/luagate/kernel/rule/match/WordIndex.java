package io.luagate.kernel.rule.match;

import io.luagate.spi.http.AsciiFold;
import io.luagate.spi.sample.Samples;
import java.util.List;

/**
 * {@code dir} and {@code dom} (HAProxy's {@code match_word}): a pattern matches when it is found in
 * the sample starting right after a delimiter (or at the start) and ending right before one (or at
 * the end). Delimiters at either end of a pattern are ignored, so {@code /a/b/} is {@code a/b}.
 * dir's delimiters are '/' and '?'; dom's are '/', '?', '.' and ':'. Patterns are tried in order,
 * as HAProxy does. A pattern made only of delimiters never matches.
 */
final class WordIndex implements PatternIndex {

    private final String[] words;
    private final String delimiters;
    private final boolean ignoreCase;

    WordIndex(List<String> patterns, String delimiters, boolean ignoreCase) {
        this.delimiters = delimiters;
        this.ignoreCase = ignoreCase;
        words = new String[patterns.size()];
        for (int i = 0; i < words.length; i++) {
            String p = patterns.get(i);
            int from = 0;
            int to = p.length();
            while (from < to && isDelimiter(p.charAt(from))) {
                from++;
            }
            while (to > from && isDelimiter(p.charAt(to - 1))) {
                to--;
            }
            words[i] = p.substring(from, to);
        }
    }

    private boolean isDelimiter(char c) {
        return delimiters.indexOf(c) >= 0;
    }

    @Override
    public int find(Object sample) {
        String s = Samples.asString(sample);
        if (s == null) {
            return NO_SAMPLE;
        }
        for (int i = 0; i < words.length; i++) {
            if (matches(s, words[i])) {
                return i;
            }
        }
        return NO_MATCH;
    }

    private boolean matches(String s, String word) {
        int pl = word.length();
        if (pl == 0 || pl > s.length()) {
            return false;
        }
        char first = ignoreCase ? AsciiFold.fold(word.charAt(0)) : word.charAt(0);
        int end = s.length() - pl;
        boolean mayMatch = true;
        for (int c = 0; c <= end; c++) {
            char ch = s.charAt(c);
            if (isDelimiter(ch)) {
                mayMatch = true;
                continue;
            }
            if (!mayMatch) {
                continue;
            }
            if ((ignoreCase ? AsciiFold.fold(ch) : ch) == first
                    && AsciiFold.regionEquals(word, 0, s, c, pl, ignoreCase)
                    && (c == end || isDelimiter(s.charAt(c + pl)))) {
                return true;
            }
            mayMatch = false;
        }
        return false;
    }
}
