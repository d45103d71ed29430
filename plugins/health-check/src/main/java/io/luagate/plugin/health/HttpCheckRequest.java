package io.luagate.plugin.health;

import io.luagate.spi.health.HttpCheck;
import io.luagate.spi.http.AsciiFold;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The bytes of a backend's HTTP check request, made once: the request line, the
 * {@code http-check send hdr} headers (lower-cased names, as HAProxy 2.6 sends them), with HTTP/1.1
 * {@code connection: close} (HAProxy's, so the server closes after its answer) and the body's
 * {@code content-length}.
 */
final class HttpCheckRequest {

    private final byte[] bytes;

    HttpCheckRequest(HttpCheck check) {
        StringBuilder out = new StringBuilder(128);
        out.append(check.method()).append(' ').append(check.uri()).append(' ').append(check.version()).append("\r\n");
        boolean connection = false;
        for (Map.Entry<String, String> header : check.headers()) {
            String name = AsciiFold.fold(header.getKey());
            connection |= name.equals("connection");
            out.append(name).append(": ").append(header.getValue()).append("\r\n");
        }
        if (!check.body().isEmpty()) {
            out.append("content-length: ").append(check.body().getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n");
        }
        if (check.version().equals("HTTP/1.1") && !connection) {
            out.append("connection: close\r\n");
        }
        out.append("\r\n").append(check.body());
        this.bytes = out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The request to write; never changed, so it is shared by every check of the backend. */
    byte[] bytes() {
        return bytes;
    }
}
