package io.luagate.plugin.health;

import java.nio.charset.StandardCharsets;

/**
 * What a check read of the server's HTTP response, parsed once enough came: the status, the
 * reason phrase and the body so far (up to the check buffer's size, as HAProxy's checks read it).
 *
 * @param status the status code, or -1 when the status line is not HTTP
 * @param reason the reason phrase
 * @param body   the body bytes read, ISO-8859-1 decoded for the string rules
 */
record CheckResponse(int status, String reason, String body) {

    /** The size of HAProxy's check buffer ({@code tune.bufsize}'s default): a larger response is cut there. */
    static final int LIMIT = 16384;

    /** Where the head ends in {@code data} (just after its empty line), or -1 when it has not all come yet. */
    static int headEnd(byte[] data, int length) {
        for (int i = 3; i < length; i++) {
            if (data[i] == '\n' && data[i - 1] == '\r' && data[i - 2] == '\n' && data[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /** The declared {@code content-length} of the head in {@code data[0..end)}, or -1 when absent. */
    static long contentLength(byte[] data, int end) {
        String head = new String(data, 0, end, StandardCharsets.ISO_8859_1);
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                try {
                    return Long.parseLong(line.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** Parses the head in {@code data[0..end)} and the body after it; a status line that is not HTTP gives status -1. */
    static CheckResponse parse(byte[] data, int end, int length) {
        String head = new String(data, 0, Math.max(0, end), StandardCharsets.ISO_8859_1);
        int eol = head.indexOf("\r\n");
        String line = eol < 0 ? head : head.substring(0, eol);
        String body = end < 0 ? "" : new String(data, end, length - end, StandardCharsets.ISO_8859_1);
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
            return new CheckResponse(-1, "", body);
        }
        int status;
        try {
            status = Integer.parseInt(line.substring(9, 12));
        } catch (NumberFormatException e) {
            return new CheckResponse(-1, "", body);
        }
        if (status < 100 || status > 999 || line.length() > 12 && line.charAt(12) != ' ') {
            return new CheckResponse(-1, "", body);
        }
        return new CheckResponse(status, line.length() > 13 ? line.substring(13) : "", body);
    }
}
