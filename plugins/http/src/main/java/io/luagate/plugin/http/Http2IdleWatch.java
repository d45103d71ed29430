package io.luagate.plugin.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Tells an HTTP/2 client connection when it has been idle for {@code timeout.client}: nothing read
 * from the client and no stream ended for that long, and no stream open (the pipeline then gets an
 * {@link IdleStateEvent}, on which the connection ends). Netty's {@code IdleStateHandler} would do,
 * but it puts a listener on every frame every stream writes; this looks at the reads only (a
 * connection writes only what its streams and the client's frames make it write) and at the
 * streams' ends, and keeps one scheduled check per connection.
 *
 * <p>Sits next to the socket, ahead of the HTTP/2 handler; confined to the connection's loop.
 */
final class Http2IdleWatch extends ChannelInboundHandlerAdapter implements Runnable {

    private final Http2Connection connection;
    private final long timeoutNanos;
    private ChannelHandlerContext ctx;
    private long lastActivity;
    private ScheduledFuture<?> check;

    Http2IdleWatch(Http2Connection connection, long timeoutMillis) {
        this.connection = connection;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                lastActivity = System.nanoTime();
            }
        });
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    private void start() {
        if (check == null && timeoutNanos > 0) {
            lastActivity = System.nanoTime();
            schedule(timeoutNanos);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivity = System.nanoTime();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void run() {
        if (!ctx.channel().isOpen()) {
            return;
        }
        long idle = System.nanoTime() - lastActivity;
        if (idle >= timeoutNanos && connection.numActiveStreams() == 0) {
            // Told again each timeout while nothing happens, as IdleStateHandler does.
            lastActivity = System.nanoTime();
            ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
            schedule(timeoutNanos);
            return;
        }
        // Streams open (their own timers bound them) or activity since: look again a timeout after it.
        schedule(idle >= timeoutNanos ? timeoutNanos : timeoutNanos - idle);
    }

    private void schedule(long delayNanos) {
        check = ctx.executor().schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    }
}
