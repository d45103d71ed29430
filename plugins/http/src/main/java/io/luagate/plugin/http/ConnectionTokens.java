package io.luagate.plugin.http;

import io.luagate.spi.http.AsciiFold;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
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

    /** {@link #clean(HttpHeaders)} found {@code close}. */
    static final int CLOSE = 1;
    /** {@link #clean(HttpHeaders)} found {@code keep-alive}. */
    static final int KEEP_ALIVE = 2;

    /**
     * Removes {@code close} and {@code keep-alive} from every Connection line of {@code headers}.
     *
     * @return the options it removed, {@link #CLOSE} and {@link #KEEP_ALIVE} bits: the one reading
     *         of them that {@link #keepsAlive} decides on, as HAProxy's parser reads them once
     */
    static int clean(HttpHeaders headers) {
        // Most messages have no Connection header at all; only a hit pays for the list.
        if (!headers.contains(HttpHeaderNames.CONNECTION)) {
            return 0;
        }
        List<String> lines = headers.getAll(HttpHeaderNames.CONNECTION);
        String[] cleaned = null;
        int found = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int options = options(line);
            // An empty line is dropped too, as HAProxy does with a Connection left with no value.
            if (options != 0 || line.isBlank()) {
                if (cleaned == null) {
                    cleaned = lines.toArray(new String[0]);
                }
                cleaned[i] = options == 0 ? line : clean(line);
                found |= options;
            }
        }
        if (cleaned == null) {
            return 0;
        }
        headers.remove(HttpHeaderNames.CONNECTION);
        for (String line : cleaned) {
            if (!line.isBlank()) {
                headers.add(HttpHeaderNames.CONNECTION, line);
            }
        }
        return found;
    }

    /**
     * Whether the connection stays open after a message of {@code version} whose Connection lines
     * held {@code options}: not after {@code close}; after HTTP/1.0 only with {@code keep-alive}.
     */
    static boolean keepsAlive(HttpVersion version, int options) {
        return (options & CLOSE) == 0 && (version.isKeepAliveDefault() || (options & KEEP_ALIVE) != 0);
    }

    /** The connection options among one line's words ({@link #CLOSE}, {@link #KEEP_ALIVE} bits). */
    static int options(String line) {
        int found = 0;
        int start = 0;
        while (true) {
            int comma = line.indexOf(',', start);
            found |= option(line, start, comma < 0 ? line.length() : comma);
            if (comma < 0) {
                return found;
            }
            start = comma + 1;
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
            boolean option = option(line, start, end) != 0;
            if (option && kept == null) {
                // The first option found: what came before it is kept as it was.
                kept = new StringBuilder(length);
                appendWords(kept, line, 0, start);
            } else if (!option && kept != null) {
                int wordStart = skipBlanks(line, start, end);
                // As HAProxy does, a kept word runs from its first character to its comma.
                int wordEnd = comma < 0 ? trimBlanks(line, wordStart, end) : end;
                if (wordStart < wordEnd) {
                    if (!kept.isEmpty()) {
                        kept.append(',');
                    }
                    kept.append(line, wordStart, wordEnd);
                }
            }
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return kept == null ? line : kept.toString();
    }

    /** Which option {@code line[from, to)} is, blanks around it aside: {@link #CLOSE}, {@link #KEEP_ALIVE} or 0. */
    private static int option(String line, int from, int to) {
        int start = skipBlanks(line, from, to);
        int end = trimBlanks(line, start, to);
        return isWord(line, start, end, "close") ? CLOSE : isWord(line, start, end, "keep-alive") ? KEEP_ALIVE : 0;
    }

    private static int skipBlanks(String line, int from, int to) {
        while (from < to && isBlank(line.charAt(from))) {
            from++;
        }
        return from;
    }

    private static int trimBlanks(String line, int from, int to) {
        while (to > from && isBlank(line.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    /** Appends the non-empty words of {@code line[from, to)} (everything before the first option). */
    private static void appendWords(StringBuilder kept, String line, int from, int to) {
        int start = from;
        while (start < to) {
            int comma = line.indexOf(',', start);
            int end = comma < 0 || comma >= to ? to : comma;
            int wordStart = skipBlanks(line, start, end);
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
        return end - start == word.length() && AsciiFold.regionEquals(line, start, word, 0, word.length(), true);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
