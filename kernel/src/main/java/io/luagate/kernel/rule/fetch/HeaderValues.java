package io.luagate.kernel.rule.fetch;

import io.luagate.kernel.rule.sample.MultiValueFetch.ValueTest;
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
        for (int l = 0, n = lines.size(); l < n; l++) {
            count += valueCount(lines.get(l));
        }
        return count;
    }

    /** How many values {@link #splitValues} finds in {@code line}, without splitting it. */
    private static int valueCount(String line) {
        if (line.indexOf(',') < 0) {
            return 1;
        }
        int count = 1;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                count++;
            }
        }
        return count;
    }

    /**
     * Whether any value (split) or line (not split) of the header passes {@code test}, in the
     * order of {@link #value} with occurrences 1, 2...: one scan, no list of values (an ACL on
     * {@code hdr(x)} runs it on every request).
     */
    static boolean anyValue(HttpHead head, String name, boolean split, ValueTest test) {
        List<String> lines = lines(head, name);
        for (int l = 0, n = lines.size(); l < n; l++) {
            String line = lines.get(l);
            if (split ? anyCommaValue(line, test) : test.test(line.trim())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Tests each value of {@code line} split on commas outside double quotes, trimmed, in order:
     * true at the first that passes. The one walk behind {@link #splitValues}, {@link #anyValue}
     * and {@link #anyCookie}.
     */
    private static boolean anyCommaValue(String line, ValueTest test) {
        if (line.indexOf(',') < 0) {
            return test.test(line.trim());
        }
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                if (test.test(line.substring(start, i).trim())) {
                    return true;
                }
                start = i + 1;
            }
        }
        return test.test(line.substring(start).trim());
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
        List<String> values = new java.util.ArrayList<>(4);
        anyCommaValue(line, value -> !values.add((String) value));
        return values.toArray(String[]::new);
    }

    /** The first cookie's value in Cookie (request) or Set-Cookie (response) lines ({@code cook()} without a name). */
    static String firstCookie(HttpHead head, String headerName, boolean response) {
        String[] first = new String[1];
        anyCookie(head, headerName, null, response, cookie -> {
            first[0] = (String) cookie;
            return true;
        });
        return first[0];
    }

    /**
     * Every value of cookie {@code name} (any cookie when {@code name} is null) in Cookie (request)
     * or Set-Cookie (response) lines, in order, as HAProxy's {@code smp_fetch_cookie} walks them:
     * each comma-separated value of each line, then {@code http_extract_cookie_value} over it
     * (a pair without '=' and a name starting with '$' are skipped; in a Set-Cookie line only the
     * first pair counts, unless no name is asked for, when every attribute does).
     */
    static List<String> cookies(HttpHead head, String headerName, String name, boolean response) {
        List<String> values = new java.util.ArrayList<>(2);
        anyCookie(head, headerName, name, response, cookie -> {
            values.add((String) cookie);
            return false;
        });
        return values;
    }

    /**
     * Whether any value of cookie {@code name}, in the order {@link #cookies} lists them, passes
     * {@code test}: the same walk without the list (an ACL on {@code cook(x)} runs it per request).
     */
    static boolean anyCookie(HttpHead head, String headerName, String name, boolean response, ValueTest test) {
        int nameLength = name == null ? 0 : name.length();
        int[] bounds = new int[2];
        ValueTest cookiesOfValue = value -> {
            String text = (String) value;
            if (text.length() < nameLength + 1) {
                return false;
            }
            int next = -1;
            while ((next = extractCookie(text, next + 1, name, !response, bounds)) >= 0) {
                if (test.test(text.substring(bounds[0], bounds[1]))) {
                    return true;
                }
            }
            return false;
        };
        List<String> lines = head.headers(headerName);
        for (int l = 0, n = lines.size(); l < n; l++) {
            if (anyCommaValue(lines.get(l), cookiesOfValue)) {
                return true;
            }
        }
        return false;
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
