package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import java.util.Map;

/**
 * Sits next to the socket and counts the bytes that cross it, so the access log reports what was
 * really sent (head and body, as HAProxy's %B does), and so the session knows when the first byte
 * of a request arrived (the keep-alive timeout becomes the request timeout then). On an HTTP/2
 * stream it counts the stream's frames: DATA as its payload, HEADERS as the header block would be
 * written in HTTP/1.1 (name, colon, blank, value, CRLF), which is what HAProxy counts too (its
 * byte counters see the decoded message, not the compressed frame).
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
        bytesIn += size(msg);
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
        bytesOut += size(msg);
        ctx.write(msg, promise);
    }

    private static long size(Object msg) {
        if (msg instanceof ByteBuf buf) {
            return buf.readableBytes();
        }
        if (msg instanceof Http2DataFrame data) {
            return data.content().readableBytes();
        }
        if (msg instanceof Http2HeadersFrame headers) {
            return headerBlock(headers.headers());
        }
        return 0;
    }

    private static long headerBlock(Http2Headers headers) {
        long size = 2;
        for (Map.Entry<CharSequence, CharSequence> header : headers) {
            size += header.getKey().length() + header.getValue().length() + 4;
        }
        return size;
    }
}
