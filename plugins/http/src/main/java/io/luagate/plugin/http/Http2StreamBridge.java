package io.luagate.plugin.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;

/**
 * Sits on an HTTP/2 stream's channel between Netty's frame-to-message codec and the
 * {@link HttpSessionHandler}, so the exchange meets an HTTP/2 request exactly as it meets an
 * HTTP/1.1 one: a head, then body pieces, then a last piece. A request that came in one HEADERS
 * frame (Netty hands it over whole) is split into head and end; the names Netty adds for its own
 * bookkeeping ({@code x-http2-stream-id}, {@code x-http2-scheme}...) are taken out; the version is
 * {@code HTTP/2.0}, as HAProxy logs it and {@code req.ver} gives it.
 *
 * <p>It also keeps the future of the last write: a stream is closed (which resets it when it is not
 * over) only once what was written to it has left, so a reply is never cut by its own close.
 */
final class Http2StreamBridge extends ChannelDuplexHandler {

    /** The version of every request that came over HTTP/2. */
    static final HttpVersion HTTP_2 = new HttpVersion("HTTP", 2, 0, true);

    /** Netty's bookkeeping names, once ({@code values()} copies the array on each call). */
    private static final ExtensionHeaderNames[] EXTENSIONS = ExtensionHeaderNames.values();

    private ChannelFuture lastWrite;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest full) {
            HttpRequest head = new DefaultHttpRequest(HTTP_2, full.method(), full.uri(), full.headers());
            stripExtensions(head.headers());
            ctx.fireChannelRead(head);
            ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
        } else if (msg instanceof HttpRequest head) {
            head.setProtocolVersion(HTTP_2);
            stripExtensions(head.headers());
            ctx.fireChannelRead(head);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private static void stripExtensions(HttpHeaders headers) {
        for (ExtensionHeaderNames name : EXTENSIONS) {
            headers.remove(name.text());
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ChannelPromise tracked = promise.unvoid();
        lastWrite = tracked;
        ctx.write(msg, tracked);
    }

    /** Whether the client may still send on this stream (it has not ended its request). */
    static boolean clientSending(ChannelHandlerContext ctx) {
        return ctx.channel() instanceof Http2StreamChannel stream && stream.stream().state().remoteSideOpen();
    }

    /** Runs {@code task} once everything written so far has been written out (or failed). */
    void afterWrites(ChannelHandlerContext ctx, Runnable task) {
        ctx.flush();
        ChannelFuture last = lastWrite;
        if (last == null || last.isDone()) {
            task.run();
        } else {
            last.addListener(f -> task.run());
        }
    }
}
