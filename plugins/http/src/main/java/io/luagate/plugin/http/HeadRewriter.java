package io.luagate.plugin.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Hop-by-hop header handling (RFC 9110 section 7.6.1, RFC 9112 section 9.6): headers that describe
 * one connection are removed before a message crosses the proxy, including every header the
 * Connection header names; the proxy then states its own connection semantics. Framing headers
 * (Content-Length, Transfer-Encoding) are kept: bodies are streamed with the framing they came with.
 */
final class HeadRewriter {

    private HeadRewriter() {
    }

    /** Prepares a client's request head for the upstream connection (always HTTP/1.1, keep-alive). */
    static void forUpstream(HttpRequest request, boolean upgrade) {
        HttpHeaders headers = request.headers();
        String upgradeProtocol = upgrade ? headers.get(HttpHeaderNames.UPGRADE) : null;
        stripHopByHop(headers);
        keepTrailersOnly(headers);
        if (upgradeProtocol != null) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            headers.set(HttpHeaderNames.UPGRADE, upgradeProtocol);
        }
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /**
     * Prepares an upstream response head for the client.
     *
     * @param keepAlive whether the client connection stays open after this response
     */
    static void forClient(HttpResponse response, HttpVersion clientVersion, boolean keepAlive) {
        HttpHeaders headers = response.headers();
        boolean switching = response.status().code() == 101;
        String upgradeProtocol = switching ? headers.get(HttpHeaderNames.UPGRADE) : null;
        stripHopByHop(headers);
        if (upgradeProtocol != null) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            headers.set(HttpHeaderNames.UPGRADE, upgradeProtocol);
        } else if (!keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientVersion == HttpVersion.HTTP_1_0) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /**
     * Puts the request's version on a response prepared by {@link #forClient}, as HAProxy's Lua
     * services answer: an HTTP/1.0 client gets {@code HTTP/1.0}, whose close needs no notice.
     */
    static void inRequestVersion(HttpResponse response, HttpVersion clientVersion, boolean keepAlive) {
        if (clientVersion != HttpVersion.HTTP_1_0) {
            return;
        }
        response.setProtocolVersion(HttpVersion.HTTP_1_0);
        if (!keepAlive) {
            response.headers().remove(HttpHeaderNames.CONNECTION);
        }
    }

    /**
     * TE goes on as {@code trailers} alone when it names it, else not at all: what HAProxy 2.6.12
     * sends to a server (to HTTP/1.1 ones too), and all HTTP/2 allows (RFC 9113 section 8.2.2);
     * gRPC servers require it.
     */
    private static void keepTrailersOnly(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.TE)) {
            return;
        }
        boolean trailers = false;
        for (String value : headers.getAll(HttpHeaderNames.TE)) {
            for (String token : value.split(",")) {
                trailers |= token.trim().equalsIgnoreCase("trailers");
            }
        }
        headers.remove(HttpHeaderNames.TE);
        if (trailers) {
            headers.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
        }
    }

    private static void stripHopByHop(HttpHeaders headers) {
        // Most messages have no Connection header (ConnectionTokens took its options out): a miss
        // costs one look-up, not the list getAll makes.
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
                for (String token : value.split(",")) {
                    String name = token.trim();
                    // Framing headers can never be hop-by-hop: removing them would change how the body ends.
                    if (!name.isEmpty() && !name.equalsIgnoreCase("content-length")
                            && !name.equalsIgnoreCase("transfer-encoding")) {
                        headers.remove(name);
                    }
                }
            }
            headers.remove(HttpHeaderNames.CONNECTION);
        }
        headers.remove(HttpHeaderNames.KEEP_ALIVE);
        headers.remove(HttpHeaderNames.PROXY_CONNECTION);
        headers.remove(HttpHeaderNames.UPGRADE);
    }
}
