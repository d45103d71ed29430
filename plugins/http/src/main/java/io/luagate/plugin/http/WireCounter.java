package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Sits next to the socket and counts the bytes that cross it, so the access log reports what was
 * really sent (head and body, as HAProxy's %B does), and so the session knows when the first byte
 * of a request arrived (the keep-alive timeout becomes the request timeout then). On an HTTP/2
 * stream this is not in the pipeline: the stream's {@link Http2StreamBridge} counts into it (DATA
 * as its payload, a header block as HTTP/1.1 would write it, which is what HAProxy counts too).
 */
final class WireCounter extends ChannelDuplexHandler {

    long bytesIn;
    long bytesOut;
    /**
     * The part of {@link #bytesIn} already counted to finished requests. A request's head is read
     * before its exchange exists, so an exchange counts from here, not from {@code bytesIn} at its
     * start: its head is part of what it received (HAProxy's {@code bin}).
     */
    long bytesInCounted;
    /** Set on every read; cleared by the session when it starts waiting for a new request. */
    boolean readSinceIdle;
    /** Told of the first byte of each request (an HTTP/1.1 connection's; {@code null} on an HTTP/2 stream). */
    private HttpSessionHandler session;

    void onFirstRead(HttpSessionHandler session) {
        this.session = session;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        received(size(msg));
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        sent(size(msg));
        ctx.write(msg, promise);
    }

    /**
     * Counts {@code bytes} read (none for a message that carries no bytes: a read all the same).
     * {@link Http2StreamBridge} counts here for an HTTP/2 stream, where this is not in the pipeline.
     */
    void received(long bytes) {
        bytesIn += bytes;
        if (!readSinceIdle) {
            readSinceIdle = true;
            if (session != null) {
                session.firstByteOfRequest();
            }
        }
    }

    void sent(long bytes) {
        bytesOut += bytes;
    }

    private static long size(Object msg) {
        if (msg instanceof ByteBuf buf) {
            return buf.readableBytes();
        }
        return 0;
    }
}
