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
     * or Set-Cookie (response) lines, in order, as HAProxy's {@code smp_fetch_cookie} walks them:
     * each comma-separated value of each line, then {@code http_extract_cookie_value} over it
     * (a pair without '=' and a name starting with '$' are skipped; in a Set-Cookie line only the
     * first pair counts, unless no name is asked for, when every attribute does).
     */
    static List<String> cookies(HttpHead head, String headerName, String name, boolean response) {
        List<String> values = null;
        int nameLength = name == null ? 0 : name.length();
        for (String line : head.headers(headerName)) {
            for (String value : splitValues(line)) {
                if (value.length() < nameLength + 1) {
                    continue;
                }
                int[] bounds = new int[2];
                int next = -1;
                while ((next = extractCookie(value, next + 1, name, !response, bounds)) >= 0) {
                    if (values == null) {
                        values = new java.util.ArrayList<>(2);
                    }
                    values.add(value.substring(bounds[0], bounds[1]));
                }
            }
        }
        return values == null ? List.of() : values;
    }

    /**
     * HAProxy's {@code http_extract_cookie_value} from {@code from}: the next cookie named
     * {@code name} (any when null): its value's bounds go to {@code bounds}, and the position the
     * search stopped at (the next search starts after it) is returned; -1 when none. {@code list}:
     * several pairs per line (Cookie), else only the first pair is a cookie (Set-Cookie).
     */
    private static int extractCookie(String s, int from, String name, boolean list, int[] bounds) {
        int end = s.length();
        int nameLength = name == null ? 0 : name.length();
        for (int attBegin = from; attBegin + nameLength + 1 < end; ) {
            while (attBegin < end && isSpaceOrTab(s.charAt(attBegin))) {
                attBegin++;
            }
            int equal = attBegin;
            int attEnd = attBegin;
            while (equal < end) {
                char c = s.charAt(equal);
                if (c == '=' || c == ';' || list && c == ',') {
                    break;
                }
                equal++;
                if (!isSpaceOrTab(c)) {
                    attEnd = equal;
                }
            }
            int valueBegin;
            int valueEnd;
            int next;
            if (equal < end && s.charAt(equal) == '=') {
                valueBegin = equal + 1;
                while (valueBegin < end && isSpaceOrTab(s.charAt(valueBegin))) {
                    valueBegin++;
                }
                next = cookieValueEnd(s, valueBegin, end);
                valueEnd = next;
                while (valueEnd > valueBegin && isSpaceOrTab(s.charAt(valueEnd - 1))) {
                    valueEnd--;
                }
            } else {
                valueBegin = valueEnd = next = equal;
            }
            boolean dollar = attBegin < end && s.charAt(attBegin) == '$';
            if (!dollar && equal != next
                    && (nameLength == 0 || attEnd - attBegin == nameLength && s.startsWith(name, attBegin))) {
                bounds[0] = valueBegin;
                bounds[1] = valueEnd;
                return next;
            }
            if (!dollar && equal != next && !list) {
                return -1;
            }
            attBegin = next + 1;
        }
        return -1;
    }

    /** HAProxy's {@code http_find_cookie_value_end}: the first ',' or ';' outside a quoted string. */
    private static int cookieValueEnd(String s, int from, int end) {
        boolean quoted = false;
        boolean pair = false;
        for (int i = from; i < end; i++) {
            char c = s.charAt(i);
            if (pair) {
                pair = false;
            } else if (quoted) {
                if (c == '\\') {
                    pair = true;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',' || c == ';') {
                return i;
            }
        }
        return end;
    }

    private static boolean isSpaceOrTab(char c) {
        return c == ' ' || c == '\t';
    }
}
