package io.luagate.plugin.lua.net;

import java.util.List;
import java.util.Map;

/**
 * One request of {@code core.httpclient()}, read from the script's table.
 *
 * @param method        GET, HEAD, PUT, POST or DELETE
 * @param url           the URL: its authority gives the {@code Host} header, its host the destination unless {@code dst}
 * @param headers       header lines in order
 * @param body          the body, or {@code null} for none
 * @param destination   where to connect: the request's {@code dst}, else the URL's host and port
 * @param timeoutMillis how long the server may stay silent (HAProxy's {@code timeout server}); -1 = no limit
 * @param tls           TLS for an https URL ({@code null} for http)
 */
public record HttpClientRequest(String method, HttpUrl url, List<Map.Entry<String, String>> headers, byte[] body,
                                Destination destination, long timeoutMillis, HttpsClientTls tls) {

    public HttpClientRequest {
        headers = List.copyOf(headers);
    }

    /** Whether sending it twice does no more than sending it once (RFC 9110 §9.2.2): only those are replayed. */
    public boolean idempotent() {
        return !method.equals("POST");
    }
}
