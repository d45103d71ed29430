package io.luagate.plugin.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.Map;

/**
 * A server's HTTP/2 response fields as HTTP/1.1 ones: the status checked, cookies joined, and
 * what HTTP/1.1 cannot carry refused, for the exchange to answer 502.
 */
final class Http2ResponseHeaders {

    private Http2ResponseHeaders() {
    }

    /** The status of a {@code :status} field, or -1 when it is not three digits of 100 or more. */
    static int status(CharSequence status) {
        if (status == null || status.length() != 3) {
            return -1;
        }
        int code = 0;
        for (int i = 0; i < 3; i++) {
            char c = status.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            code = code * 10 + c - '0';
        }
        return code >= 100 ? code : -1;
    }

    /**
     * The regular fields of {@code in} into {@code out}; cookies joined into one field as HTTP/1.1
     * wants them (RFC 9113 section 8.2.3). {@code false} for a field HTTP/1.1 cannot carry: a
     * connection-specific name or a value with CR, LF or NUL (HPACK lets them through; an HTTP/1.1
     * client would read them as a header break).
     */
    static boolean copy(Http2Headers in, HttpHeaders out, int maxResponseHead) {
        StringBuilder cookies = null;
        int size = 0;
        for (Map.Entry<CharSequence, CharSequence> field : in) {
            CharSequence name = field.getKey();
            CharSequence value = field.getValue();
            size += name.length() + value.length() + 32;
            if (size > maxResponseHead) {
                return false;
            }
            if (name.length() > 0 && name.charAt(0) == ':') {
                continue;
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\r' || c == '\n' || c == 0) {
                    return false;
                }
            }
            AsciiString lower = AsciiString.of(name);
            if (lower.contentEqualsIgnoreCase(HttpHeaderNames.CONNECTION) || lower.contentEqualsIgnoreCase(HttpHeaderNames.TRANSFER_ENCODING)
                    || lower.contentEqualsIgnoreCase(HttpHeaderNames.KEEP_ALIVE) || lower.contentEqualsIgnoreCase(HttpHeaderNames.UPGRADE)
                    || lower.contentEqualsIgnoreCase(HttpHeaderNames.PROXY_CONNECTION)) {
                return false;
            }
            if (lower.contentEqualsIgnoreCase(HttpHeaderNames.COOKIE)) {
                cookies = cookies == null ? new StringBuilder(value) : cookies.append("; ").append(value);
                continue;
            }
            out.add(name, value);
        }
        if (cookies != null) {
            out.add(HttpHeaderNames.COOKIE, cookies.toString());
        }
        return true;
    }
}
