package io.luagate.plugin.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * HAProxy's parse-time clean-up of {@code Connection} (h1.c, {@code H1_MF_CLEAN_CONN_HDR}): the
 * {@code close} and {@code keep-alive} options describe this one connection, are read once by the
 * codec, and are then removed so that rules and scripts never see them; a line left empty is
 * dropped. Other tokens ({@code upgrade}, header names) stay as they came, joined by ",".
 */
final class ConnectionTokens {

    private ConnectionTokens() {
    }

    /** Removes {@code close} and {@code keep-alive} from every Connection line of {@code headers}. */
    static void clean(HttpHeaders headers) {
        // Most messages have no Connection header at all; only a hit pays for the list.
        if (!headers.contains(HttpHeaderNames.CONNECTION)) {
            return;
        }
        List<String> lines = headers.getAll(HttpHeaderNames.CONNECTION);
        String[] cleaned = new String[lines.size()];
        boolean changed = false;
        for (int i = 0; i < cleaned.length; i++) {
            cleaned[i] = clean(lines.get(i));
            // An empty line is dropped too, as HAProxy does with a Connection left with no value.
            changed |= cleaned[i] != lines.get(i) || cleaned[i].isBlank();
        }
        if (!changed) {
            return;
        }
        headers.remove(HttpHeaderNames.CONNECTION);
        for (String line : cleaned) {
            if (!line.isBlank()) {
                headers.add(HttpHeaderNames.CONNECTION, line);
            }
        }
    }

    /** One line without its connection options; the same instance when it had none. */
    static String clean(String line) {
        StringBuilder kept = null;
        int start = 0;
        int length = line.length();
        while (start <= length) {
            int comma = line.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            int wordStart = start;
            while (wordStart < end && isBlank(line.charAt(wordStart))) {
                wordStart++;
            }
            int wordEnd = end;
            while (wordEnd > wordStart && isBlank(line.charAt(wordEnd - 1))) {
                wordEnd--;
            }
            boolean option = isWord(line, wordStart, wordEnd, "close") || isWord(line, wordStart, wordEnd, "keep-alive");
            if (option && kept == null) {
                // The first option found: what came before it is kept as it was.
                kept = new StringBuilder(length);
                appendWords(kept, line, 0, start);
            } else if (!option && kept != null && wordStart < wordEnd) {
                if (!kept.isEmpty()) {
                    kept.append(',');
                }
                // As HAProxy does, a kept word runs from its first character to its comma.
                kept.append(line, wordStart, comma < 0 ? wordEnd : end);
            }
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return kept == null ? line : kept.toString();
    }

    /** Appends the non-empty words of {@code line[from, to)} (everything before the first option). */
    private static void appendWords(StringBuilder kept, String line, int from, int to) {
        int start = from;
        while (start < to) {
            int comma = line.indexOf(',', start);
            int end = comma < 0 || comma >= to ? to : comma;
            int wordStart = start;
            while (wordStart < end && isBlank(line.charAt(wordStart))) {
                wordStart++;
            }
            if (wordStart < end) {
                if (!kept.isEmpty()) {
                    kept.append(',');
                }
                kept.append(line, wordStart, end);
            }
            start = end + 1;
        }
    }

    private static boolean isWord(String line, int start, int end, String word) {
        return end - start == word.length() && line.regionMatches(true, start, word, 0, word.length());
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
