package io.luagate.plugin.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A server's status whose digits are not the usual three ({@code 0200}, {@code 00204}): its
 * value is the number, which the framing, the rules and the log read (200, 204), while an HTTP/1
 * status line to the client carries the digits as the server wrote them. HAProxy 2.6.12 does both:
 * it logs and frames {@code HTTP/1.1 0200 OK} as a 200 and forwards its status line as it came.
 */
final class VerbatimStatus extends HttpResponseStatus {

    private final String digits;

    VerbatimStatus(int code, String digits, String reasonPhrase) {
        super(code, reasonPhrase);
        this.digits = digits;
    }

    /** The status code's digits as the server wrote them. */
    String digits() {
        return digits;
    }
}
