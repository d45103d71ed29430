package io.luagate.kernel.rule.fetch;

import io.luagate.spi.http.HttpHead;
import java.util.List;

/**
 * HAProxy's view of header values for {@code hdr()}-style fetches: every line of a header split
 * on commas (outside quotes), trimmed; occurrence 1 is the first value, -1 the last.
 */
final class HeaderValues {

    private HeaderValues() {
    }

    /** The value at {@code occurrence} (1-based from the first, negative from the last), or null. */
    static String value(HttpHead head, String name, int occurrence, boolean split) {
        if (occurrence == -1 && !name.isEmpty()) {
            // The common case (the last value): one line, usually without a comma; no list built.
            String last = head.lastHeader(name);
            if (last == null) {
                return null;
            }
            int comma = split ? lastUnquotedComma(last) : -1;
            return comma < 0 ? last.trim() : last.substring(comma + 1).trim();
        }
        List<String> lines = lines(head, name);
        if (lines.isEmpty()) {
            return null;
        }
        if (!split) {
            int index = occurrence > 0 ? occurrence - 1 : lines.size() + occurrence;
            return index >= 0 && index < lines.size() ? lines.get(index).trim() : null;
        }
        if (occurrence < 0) {
            int wanted = -occurrence;
            for (int l = lines.size() - 1; l >= 0; l--) {
                String[] values = splitValues(lines.get(l));
                if (wanted <= values.length) {
                    return values[values.length - wanted];
                }
                wanted -= values.length;
            }
            return null;
        }
        int wanted = occurrence;
        for (String line : lines) {
            String[] values = splitValues(line);
            if (wanted <= values.length) {
                return values[wanted - 1];
            }
            wanted -= values.length;
        }
        return null;
    }

    /** The index of the last comma outside double quotes, or -1. */
    private static int lastUnquotedComma(String line) {
        if (line.indexOf(',') < 0) {
            return -1;
        }
        int last = -1;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                last = i;
            }
        }
        return last;
    }

    /** How many values (split) or lines (not split) the header has. */
    static long count(HttpHead head, String name, boolean split) {
        List<String> lines = lines(head, name);
        if (!split) {
            return lines.size();
        }
        long count = 0;
        for (String line : lines) {
            count += splitValues(line).length;
        }
        return count;
    }

    /** The lines of header {@code name}; an empty name matches every header, as HAProxy's http_find_header. */
    private static List<String> lines(HttpHead head, String name) {
        if (!name.isEmpty()) {
            return head.headers(name);
        }
        List<String> all = new java.util.ArrayList<>();
        head.forEachHeader((n, value) -> all.add(value));
        return all;
    }

    /** Splits one header line on commas that are not inside double quotes. */
    static String[] splitValues(String line) {
        if (line.indexOf(',') < 0) {
            return new String[] {line.trim()};
        }
        java.util.ArrayList<String> values = new java.util.ArrayList<>(4);
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                values.add(line.substring(start, i).trim());
                start = i + 1;
            }
        }
        values.add(line.substring(start).trim());
        return values.toArray(String[]::new);
    }

    /** The first cookie's value in Cookie (request) or Set-Cookie (response) lines ({@code cook()} without a name). */
    static String firstCookie(HttpHead head, String headerName, boolean response) {
        List<String> all = cookies(head, headerName, null, response);
        return all.isEmpty() ? null : all.get(0);
    }

    /**
     * Every value of cookie {@code name} (any cookie when {@code name} is null) in Cookie (request)
     * or Set-Cookie (response) lines, in order. Scans in place: only the values are copied.
     */
    static List<String> cookies(HttpHead head, String headerName, String name, boolean response) {
        List<String> values = null;
        for (String line : head.headers(headerName)) {
            int end = line.length();
            if (response) {
                int semi = line.indexOf(';');
                end = semi < 0 ? end : semi;
            }
            int start = 0;
            while (start < end) {
                int next = line.indexOf(';', start);
                int pairEnd = next < 0 || next > end ? end : next;
                int keyStart = skipBlanks(line, start, pairEnd);
                int eq = line.indexOf('=', keyStart);
                int keyEnd = eq < 0 || eq > pairEnd ? pairEnd : eq;
                int keyTrim = keyEnd;
                while (keyTrim > keyStart && line.charAt(keyTrim - 1) == ' ') {
                    keyTrim--;
                }
                if (name == null || keyTrim - keyStart == name.length() && line.startsWith(name, keyStart)) {
                    if (values == null) {
                        values = new java.util.ArrayList<>(2);
                    }
                    values.add(keyEnd == pairEnd ? "" : line.substring(skipBlanks(line, keyEnd + 1, pairEnd), pairEnd).stripTrailing());
                }
                start = pairEnd + 1;
            }
        }
        return values == null ? List.of() : values;
    }

    private static int skipBlanks(String line, int from, int to) {
        while (from < to && line.charAt(from) == ' ') {
            from++;
        }
        return from;
    }
}
