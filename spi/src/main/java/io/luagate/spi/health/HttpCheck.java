package io.luagate.spi.health;

import java.util.List;
import java.util.Map;

/**
 * A backend's HTTP check: {@code httpchk = "GET /health"} (HAProxy's {@code option httpchk <method>
 * <uri> [<version>]}) with its {@code http-check} rules ({@code send hdr ...}, {@code expect ...}).
 *
 * @param method  the request's method
 * @param uri     its target
 * @param version {@code HTTP/1.0} or {@code HTTP/1.1}
 * @param headers the headers {@code http-check send hdr} adds, in order (a {@code Host} among them
 *                replaces the one HAProxy would not send otherwise)
 * @param body    {@code http-check send body}, or {@code ""}
 * @param expects the {@code http-check expect} rules; none: a 2xx or 3xx status passes (HAProxy's default)
 */
public record HttpCheck(String method, String uri, String version, List<Map.Entry<String, String>> headers,
                        String body, List<HttpCheckExpect> expects) {

    public HttpCheck {
        headers = List.copyOf(headers);
        expects = List.copyOf(expects);
        body = body == null ? "" : body;
    }
}
