package io.luagate.kernel.stream;

import io.luagate.spi.stream.StreamPhase;
import io.luagate.spi.stream.TerminationCause;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bytes both ways between a client and an upstream connection (TCP mode, or HTTP after an
 * upgrade). Both channels live on the same event loop. Backpressure: a side stops reading while
 * the other cannot take more (Netty's writability watermarks). Half-close: when one side ends its
 * output, the other side's output is shut down after what was read is flushed; when both
 * directions are done, both close. One inactivity timer covers both directions.
 */
final class Tunnel {

    private static final Logger LOG = LoggerFactory.getLogger(Tunnel.class);

    private final DefaultStream stream;
    private final Endpoint client;
    private final Endpoint upstream;
    private final long timeoutNanos;
    private long lastActivity;
    private ScheduledFuture<?> timer;
    private boolean closed;

    private Tunnel(DefaultStream stream, Channel clientChannel, Channel upstreamChannel, long timeoutMillis) {
        this.stream = stream;
        this.client = new Endpoint(clientChannel, true);
        this.upstream = new Endpoint(upstreamChannel, false);
        this.client.peer = upstream;
        this.upstream.peer = client;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    static void open(DefaultStream stream, Channel clientChannel, Channel upstreamChannel, long timeoutMillis) {
        Tunnel tunnel = new Tunnel(stream, clientChannel, upstreamChannel, timeoutMillis);
        tunnel.start();
    }

    private void start() {
        lastActivity = System.nanoTime();
        for (Endpoint side : new Endpoint[] {client, upstream}) {
            side.channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
            side.channel.pipeline().addLast("luagate-tunnel", side);
        }
        timer = client.channel.eventLoop().schedule(this::checkIdle, timeoutNanos, TimeUnit.NANOSECONDS);
        for (Endpoint side : new Endpoint[] {client, upstream}) {
            if (!side.channel.isActive()) {
                side.inactive();
            } else {
                side.resumeReading();
            }
        }
    }

    private void checkIdle() {
        if (closed) {
            return;
        }
        long idle = System.nanoTime() - lastActivity;
        if (idle >= timeoutNanos) {
            stream.terminate(TerminationCause.CLIENT_TIMEOUT, StreamPhase.DATA);
            closeNow();
        } else {
            timer = client.channel.eventLoop().schedule(this::checkIdle, timeoutNanos - idle, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Both directions are done: what is still queued is flushed, then both close. A peer that
     * does not take those bytes within the timeout is closed anyway: nothing waits forever.
     */
    private void finishGracefully() {
        if (closed) {
            return;
        }
        closed = true;
        if (timer != null) {
            timer.cancel(false);
        }
        client.flushAndClose();
        upstream.flushAndClose();
        ScheduledFuture<?> force = client.channel.eventLoop().schedule(() -> {
            client.channel.close();
            upstream.channel.close();
        }, timeoutNanos, TimeUnit.NANOSECONDS);
        // Once both are closed the deadline has nothing left to do: drop it, and the references it holds.
        client.channel.closeFuture().addListener(f -> {
            if (!upstream.channel.isOpen()) {
                force.cancel(false);
            }
        });
        upstream.channel.closeFuture().addListener(f -> {
            if (!client.channel.isOpen()) {
                force.cancel(false);
            }
        });
        stream.end();
    }

    /** An abort or a timeout: both connections close now, whatever is still queued. */
    private void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        if (timer != null) {
            timer.cancel(false);
        }
        client.channel.close();
        upstream.channel.close();
        stream.end();
    }

    private void maybeFinish() {
        if (client.inputDone && upstream.inputDone) {
            finishGracefully();
        }
    }

    /** The tunnel's handler on one side. */
    private final class Endpoint extends ChannelInboundHandlerAdapter {
        final Channel channel;
        final boolean isClient;
        Endpoint peer;
        boolean inputDone;
        /**
         * This side's output was shut down (the peer's FIN passed on), so its input ending is the
         * last thing left: Netty then closes the connection instead of shutting its input down.
         */
        boolean outputShut;

        Endpoint(Channel channel, boolean isClient) {
            this.channel = channel;
            this.isClient = isClient;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf) || closed) {
                ReferenceCountUtil.release(msg);
                return;
            }
            lastActivity = System.nanoTime();
            if (isClient) {
                stream.addBytesFromClient(buf.readableBytes());
            } else {
                stream.addBytesToClient(buf.readableBytes());
            }
            peer.channel.write(buf, peer.channel.voidPromise());
            if (!peer.channel.isWritable()) {
                channel.config().setAutoRead(false);
                peer.channel.flush();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            peer.channel.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (channel.isWritable()) {
                peer.resumeReading();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                if (!inputDone) {
                    inputDone = true;
                    peer.shutdownOutputAfterFlush();
                    maybeFinish();
                }
            } else {
                ReferenceCountUtil.release(evt);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inactive();
        }

        void inactive() {
            if (!closed) {
                // After outputShut, a FIN closes the connection (see shutdownOutputAfterFlush): an
                // end of input, not an abort. A reset is an exception first, which closed the tunnel.
                if (!inputDone && !outputShut) {
                    stream.terminate(isClient ? TerminationCause.CLIENT_ABORT : TerminationCause.SERVER_ABORT,
                            StreamPhase.DATA);
                }
                inputDone = true;
                // The other side may still have bytes for this one's peer: deliver them, then close.
                finishGracefully();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("tunnel {} side: {}", isClient ? "client" : "server", cause.toString());
            if (!closed) {
                stream.terminate(isClient ? TerminationCause.CLIENT_ABORT : TerminationCause.SERVER_ABORT,
                        StreamPhase.DATA);
                closeNow();
            }
        }

        /**
         * Reads again, unless this side's input is over: epoll refuses to watch a socket whose
         * input was shut down (epoll_ctl fails), and there is nothing left to read anyway.
         */
        void resumeReading() {
            boolean inputShut = channel instanceof DuplexChannel duplex && duplex.isInputShutdown();
            if (!inputDone && !inputShut) {
                channel.config().setAutoRead(true);
                channel.read();
            }
        }

        /**
         * Passes the peer's FIN on once what was read is written. This side's input is then all that
         * is left of its connection, so half-closure is turned off: the FIN still to come closes the
         * connection, where Netty would first shut its input down (a system call, and an exception
         * with a stack trace when the socket is already gone, as it often is once both FINs crossed).
         */
        void shutdownOutputAfterFlush() {
            if (channel instanceof DuplexChannel duplex && channel.isActive()) {
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
                    if (duplex.shutdownOutput().isSuccess()) {
                        outputShut = true;
                        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
                    }
                });
            } else {
                channel.close();
            }
        }

        void flushAndClose() {
            if (channel.isActive()) {
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
