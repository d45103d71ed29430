package io.luagate.spi.rule;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A response the proxy produces itself. Built once when a rule is compiled and reused for every
 * request, so it is immutable.
 *
 * @param status  the HTTP status
 * @param headers extra header name/value pairs, in order (Content-Type among them if any)
 * @param body    the body bytes (the array is never modified)
 */
public record HttpReply(int status, List<Header> headers, byte[] body) {

    /** One header line. */
    public record Header(String name, String value) {
    }

    public HttpReply {
        headers = List.copyOf(headers);
    }

    /** A reply with a {@code text/html} body like HAProxy's built-in error pages. */
    public static HttpReply errorPage(int status, String reason, String message) {
        String html = "<html><body><h1>" + status + " " + reason + "</h1>\n" + message + "\n</body></html>\n";
        return new HttpReply(status,
                List.of(new Header("content-type", "text/html"), new Header("cache-control", "no-cache")),
                html.getBytes(StandardCharsets.UTF_8));
    }
}
