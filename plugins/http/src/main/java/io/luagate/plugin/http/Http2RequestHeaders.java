package io.luagate.plugin.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 request head as HTTP/2 fields for a server (RFC 9113 section 8.2.2, 8.3.1), as
 * HAProxy's H2 mux writes it: {@code :method}, {@code :scheme}, {@code :authority} (from Host, or
 * an absolute-form target) and {@code :path}; Connection and what it names, Keep-Alive,
 * Proxy-Connection, Transfer-Encoding, Upgrade and Host dropped; TE only as {@code trailers}.
 */
final class Http2RequestHeaders {

    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString HTTPS = AsciiString.cached("https");
    private static final AsciiString TRAILERS = HttpHeaderValues.TRAILERS;

    private Http2RequestHeaders() {
    }

    /** The HEADERS of {@code request}'s head; {@code secure}: the connection speaks TLS (the scheme, unless the target names one). */
    static Http2Headers of(HttpRequest request, boolean secure) {
        HttpHeaders in = request.headers();
        Http2Headers out = new DefaultHttp2Headers(false, in.size() + 4);
        out.method(request.method().asciiName());
        String uri = request.uri();
        String host = in.get(HttpHeaderNames.HOST);
        if (request.method().equals(HttpMethod.CONNECT)) {
            out.authority(uri);
        } else {
            int scheme = uri.indexOf("://");
            if (scheme > 0 && uri.charAt(0) != '/') {
                // Absolute form: its authority wins over Host (RFC 9112 section 3.2.2).
                int pathStart = uri.indexOf('/', scheme + 3);
                int queryStart = uri.indexOf('?', scheme + 3);
                int end = pathStart < 0 ? (queryStart < 0 ? uri.length() : queryStart)
                        : queryStart < 0 ? pathStart : Math.min(pathStart, queryStart);
                out.scheme(new AsciiString(uri.substring(0, scheme).toLowerCase(Locale.ROOT)));
                out.authority(uri.substring(scheme + 3, end));
                String path = uri.substring(end);
                out.path(path.isEmpty() ? (request.method().equals(HttpMethod.OPTIONS) ? "*" : "/")
                        : path.charAt(0) == '?' ? "/" + path : path);
            } else {
                out.scheme(secure ? HTTPS : HTTP);
                if (host != null) {
                    out.authority(host);
                }
                out.path(uri);
            }
        }
        String connection = in.contains(HttpHeaderNames.CONNECTION)
                ? String.join(",", in.getAll(HttpHeaderNames.CONNECTION)) : null;
        for (Map.Entry<String, String> field : in) {
            AsciiString name = AsciiString.of(field.getKey()).toLowerCase();
            if (connectionSpecific(name) || connection != null && namedBy(connection, name)) {
                continue;
            }
            if (name.contentEquals(HttpHeaderNames.TE)) {
                // Only "trailers" may go in HTTP/2 (RFC 9113 section 8.2.2).
                if (AsciiString.containsIgnoreCase(field.getValue(), TRAILERS)) {
                    out.set(HttpHeaderNames.TE, TRAILERS);
                }
                continue;
            }
            out.add(name, field.getValue());
        }
        return out;
    }

    /** Whether the Connection list {@code connection} names {@code name}: a field for this hop only. */
    private static boolean namedBy(String connection, AsciiString name) {
        int start = 0;
        while (start <= connection.length()) {
            int comma = connection.indexOf(',', start);
            int end = comma < 0 ? connection.length() : comma;
            if (name.contentEqualsIgnoreCase(connection.substring(start, end).trim())) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static boolean connectionSpecific(AsciiString name) {
        return name.contentEquals(HttpHeaderNames.HOST) || name.contentEquals(HttpHeaderNames.CONNECTION)
                || name.contentEquals(HttpHeaderNames.KEEP_ALIVE) || name.contentEquals(HttpHeaderNames.PROXY_CONNECTION)
                || name.contentEquals(HttpHeaderNames.TRANSFER_ENCODING) || name.contentEquals(HttpHeaderNames.UPGRADE);
    }

    /** Request trailers as HTTP/2 fields (lower-case names), without connection-specific ones. */
    static Http2Headers trailers(HttpHeaders in) {
        Http2Headers out = new DefaultHttp2Headers(false);
        for (Map.Entry<String, String> field : in) {
            AsciiString name = AsciiString.of(field.getKey()).toLowerCase();
            if (!connectionSpecific(name)) {
                out.add(name, field.getValue());
            }
        }
        return out;
    }
}
