package io.luagate.plugin.lua.api;

import io.luagate.spi.http.HttpHead;

/**
 * One filter's view of one direction's body, as HAProxy 2.6 keeps it per filter ({@code cur_off},
 * {@code cur_len}): in the part passing now, the bytes before {@code start} are "output" (forwarded
 * with {@code forward(n)}, or written with {@code send(s)}), the rest is "input". Output also counts
 * the head's bytes, in HAProxy's HTX measure, on the message's first part (HAProxy still holds the
 * head in its buffer then). Both stay as the last {@code http_payload} left them for {@code http_end}.
 */
public final class MessageWindow {

    /** HAProxy's {@code sizeof(struct htx_sl)}: an HTX start line's fixed part. */
    private static final int HTX_START_LINE = 20;
    /** HAProxy's end-of-headers HTX block. */
    private static final int HTX_END_OF_HEADERS = 1;

    private int start;
    private int base;
    private int headBytes;
    private boolean firstPart = true;
    private int leftover;
    /** {@code set_eom} / {@code unset_eom} of this part, or {@code null}: the codec's end counts. */
    private Boolean eom;

    /** The head leaves as {@code http_headers} left it (the codec may still reframe it after). */
    public void headers(HttpHead head, boolean response) {
        headBytes = headBytes(head, response);
    }

    /** A part passes to this filter's {@code http_payload}. */
    public void part() {
        start = 0;
        base = firstPart ? headBytes : 0;
        firstPart = false;
        eom = null;
    }

    /** The part's {@code http_payload} ended with {@code input} bytes in the part. */
    public void settle(int input) {
        leftover = Math.max(0, input - start);
    }

    int start() {
        return start;
    }

    int output() {
        return base + start;
    }

    /** The input {@code http_end} reports: what the last {@code http_payload} left unforwarded. */
    int leftover() {
        return leftover;
    }

    /** {@code bytes} of the input become output. */
    void advance(int bytes) {
        start += bytes;
    }

    Boolean eom() {
        return eom;
    }

    void eom(boolean on) {
        eom = on;
    }

    /**
     * The head's size as HAProxy's HTX holds it: the start line's fixed part and its three tokens,
     * each header's name and value, and the end-of-headers block. HAProxy's parser keeps no
     * {@code Connection} header that only says close or keep-alive.
     */
    static int headBytes(HttpHead head, boolean response) {
        int[] size = {HTX_START_LINE + HTX_END_OF_HEADERS};
        if (response) {
            String reason = head.reason();
            size[0] += head.version().length() + Integer.toString(head.status()).length()
                    + (reason == null ? 0 : reason.length());
        } else {
            size[0] += head.method().length() + head.uri().length() + head.version().length();
        }
        head.forEachHeader((name, value) -> {
            if (!name.equalsIgnoreCase("connection") || !onlyPersistence(value)) {
                size[0] += name.length() + value.length();
            }
        });
        return size[0];
    }

    private static boolean onlyPersistence(String value) {
        for (String token : value.split(",")) {
            String t = token.trim();
            if (!t.isEmpty() && !t.equalsIgnoreCase("close") && !t.equalsIgnoreCase("keep-alive")) {
                return false;
            }
        }
        return true;
    }
}
