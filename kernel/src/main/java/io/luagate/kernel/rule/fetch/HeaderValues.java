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
        List<String> lines = head.headers(name);
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

    /** How many values (split) or lines (not split) the header has. */
    static long count(HttpHead head, String name, boolean split) {
        List<String> lines = head.headers(name);
        if (!split) {
            return lines.size();
        }
        long count = 0;
        for (String line : lines) {
            count += splitValues(line).length;
        }
        return count;
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

    /** The value of cookie {@code name} in Cookie (request) or Set-Cookie (response) lines; last wins. */
    static String cookie(HttpHead head, String headerName, String name, boolean response) {
        String found = null;
        for (String line : head.headers(headerName)) {
            String text = line;
            if (response) {
                int semi = text.indexOf(';');
                text = semi < 0 ? text : text.substring(0, semi);
            }
            for (String pair : text.split(";")) {
                int eq = pair.indexOf('=');
                String key = (eq < 0 ? pair : pair.substring(0, eq)).trim();
                if (name.isEmpty() || key.equals(name)) {
                    found = eq < 0 ? "" : pair.substring(eq + 1).trim();
                    if (name.isEmpty()) {
                        return found;
                    }
                }
            }
        }
        return found;
    }
}
