package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Sits next to the socket and counts the bytes that cross it, so the access log reports what was
 * really sent (head and body, as HAProxy's %B does), and so the session knows when the first byte
 * of a request arrived (the keep-alive timeout becomes the request timeout then).
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
    private Runnable onFirstRead;

    void onFirstRead(Runnable callback) {
        this.onFirstRead = callback;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            bytesIn += buf.readableBytes();
        }
        if (!readSinceIdle) {
            readSinceIdle = true;
            if (onFirstRead != null) {
                onFirstRead.run();
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            bytesOut += buf.readableBytes();
        }
        ctx.write(msg, promise);
    }
}
