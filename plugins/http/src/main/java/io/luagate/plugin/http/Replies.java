package io.luagate.plugin.http;

import io.luagate.spi.rule.HttpReply;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Turns a {@link HttpReply} (the proxy's own answer) into a response on the wire. */
final class Replies {

    private Replies() {
    }

    /**
     * @param keepAlive     whether the client connection stays open after it
     * @param clientVersion the request's version: an HTTP/1.0 client is told when the connection
     *                      stays open, and a reply in the request's version needs no close notice
     */
    static FullHttpResponse toResponse(HttpReply reply, boolean keepAlive, HttpVersion clientVersion) {
        HttpVersion version = reply.requestVersion() && clientVersion == HttpVersion.HTTP_1_0
                ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
        boolean file = reply.fileVersion() != null && !reply.silent();
        if (file) {
            // An error file's status line is sent with its own version (HAProxy keeps "HTTP/1.0").
            version = HttpVersion.valueOf(reply.fileVersion());
        }
        // The body array is shared by every request that gets this reply; wrapping does not copy it.
        FullHttpResponse response = new DefaultFullHttpResponse(version,
                reply.reason() == null ? Reasons.status(reply.status()) : new HttpResponseStatus(reply.status(), reply.reason()),
                Unpooled.wrappedBuffer(reply.body()));
        for (HttpReply.Header header : reply.headers()) {
            response.headers().add(header.name(), header.value());
        }
        // An error file without a length ends with the connection, as HAProxy sends it.
        if (!file && !response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
        }
        if (!keepAlive) {
            // A reply that says close already (HAProxy's 400 and 408 pages) keeps it where it is.
            if (version != HttpVersion.HTTP_1_0 && !closes(reply)) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        } else if (clientVersion == HttpVersion.HTTP_1_0 || version == HttpVersion.HTTP_1_0) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return response;
    }

    /** Whether the reply itself says {@code connection: close}: the connection must then end after it. */
    static boolean closes(HttpReply reply) {
        for (HttpReply.Header header : reply.headers()) {
            if (header.name().equalsIgnoreCase("connection") && header.value().equalsIgnoreCase("close")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Puts the {@code connection} header {@link #toResponse} added after the headers the
     * http-after-response rules added: HAProxy's H1 mux writes it as the message leaves, after
     * every rule.
     */
    static void connectionLast(FullHttpResponse response) {
        String connection = response.headers().get(HttpHeaderNames.CONNECTION);
        if (connection != null) {
            response.headers().remove(HttpHeaderNames.CONNECTION);
            response.headers().add(HttpHeaderNames.CONNECTION, connection);
        }
    }
}
