package io.luagate.plugin.http;

/** Byte classes of HTTP/1 syntax (RFC 9110 section 5.6.2, RFC 9112), shared by the head readers. */
final class HttpChars {

    static final byte CR = '\r';
    static final byte LF = '\n';

    private HttpChars() {
    }

    /** The blanks of a header line or request line (SP, HTAB). */
    static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    /** The value of a hexadecimal digit, or -1. */
    static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
