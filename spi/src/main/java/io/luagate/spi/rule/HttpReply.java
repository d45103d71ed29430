package io.luagate.spi.rule;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A response the proxy produces itself. Built once when a rule is compiled and reused for every
 * request, so it is immutable. Headers are written in list order; a {@code content-length}
 * header in the list fixes where it goes (HAProxy's order), else the codec adds it.
 *
 * @param status  the HTTP status
 * @param headers extra header name/value pairs, in order (Content-Type among them if any)
 * @param body    the body bytes (the array is never modified)
 * @param reason  the status line's reason phrase, or null for the codec's own phrase for the status
 * @param requestVersion whether the status line carries the request's HTTP version (HAProxy's Lua
 *                replies do: {@code HTTP/1.0} to an HTTP/1.0 client, which then needs no
 *                {@code Connection: close}); otherwise {@code HTTP/1.1}, as HAProxy's own replies
 * @param fileVersion null for the proxy's own replies; for a raw HTTP response read from a file
 *                (HAProxy's {@code errorfile}), the version its status line says, sent as it is,
 *                with the file's headers and nothing added but a connection header where one is
 *                needed; "" for an empty file, which answers nothing and closes the connection
 */
public record HttpReply(int status, List<Header> headers, byte[] body, String reason, boolean requestVersion,
                        String fileVersion) {

    /** One header line. */
    public record Header(String name, String value) {
    }

    public HttpReply {
        headers = List.copyOf(headers);
    }

    /** A reply whose status line says {@code HTTP/1.1} with the codec's phrase for the status. */
    public HttpReply(int status, List<Header> headers, byte[] body) {
        this(status, headers, body, null, false, null);
    }

    /** A reply whose status line says {@code HTTP/1.1} with {@code reason} (null: the codec's phrase). */
    public HttpReply(int status, List<Header> headers, byte[] body, String reason) {
        this(status, headers, body, reason, false, null);
    }

    /** This reply, with the request's HTTP version on its status line (see {@link #requestVersion}). */
    public HttpReply inRequestVersion() {
        return new HttpReply(status, headers, body, reason, true, fileVersion);
    }

    /** An empty error file for {@code status}: nothing is sent, the connection closes (HAProxy's {@code /dev/null} idiom). */
    public static HttpReply nothing(int status) {
        return new HttpReply(status, List.of(), new byte[0], null, false, "");
    }

    /** Whether this reply sends nothing at all (an empty error file). */
    public boolean silent() {
        return "".equals(fileVersion);
    }

    /**
     * Whether the reply says where it ends, so the connection can carry another request: always
     * for the proxy's own replies; for a file, with a {@code content-length} or a status without a
     * body (204, 304), else the connection's close ends it.
     */
    public boolean framed() {
        if (fileVersion == null) {
            return true;
        }
        if (silent()) {
            return false;
        }
        if (status == 204 || status == 304) {
            return true;
        }
        for (Header header : headers) {
            if (header.name().equals("content-length")) {
                return true;
            }
        }
        return false;
    }

    /** A reply with a {@code text/html} body like HAProxy's built-in error pages, with their header order. */
    public static HttpReply errorPage(int status, String reason, String message) {
        byte[] html = ("<html><body><h1>" + status + " " + reason + "</h1>\n" + message + "\n</body></html>\n")
                .getBytes(StandardCharsets.UTF_8);
        return new HttpReply(status, List.of(new Header("content-length", Integer.toString(html.length)),
                new Header("cache-control", "no-cache"), new Header("content-type", "text/html")), html);
    }
}
