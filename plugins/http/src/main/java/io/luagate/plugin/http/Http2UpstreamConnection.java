package io.luagate.plugin.http;

import io.luagate.spi.codec.MultiplexedConnection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/2 connection to a server (RFC 9113, {@code proto = h2} or ALPN h2): Netty's frame codec
 * and multiplexer, one child channel per luagate stream ({@link Http2UpstreamStream} makes it look
 * like an HTTP/1.1 upstream connection to the exchange). It counts as connected once the server's
 * SETTINGS arrived: a server that answers the preface with anything else (an HTTP/1.1 server's 400)
 * or stays silent past the connect timeout fails the connect.
 *
 * <p>It takes new streams while it is alive, has had no GOAWAY (either way), and has fewer open than
 * the server's SETTINGS_MAX_CONCURRENT_STREAMS; a stream counts from its opening, before its HEADERS
 * leave, so a burst of requests never overshoots the limit. After a GOAWAY the streams it covers
 * finish and the connection closes with the last one; with no stream open it closes after the
 * backend's pool idle timeout. Confined to its event loop.
 */
final class Http2UpstreamConnection extends ChannelInboundHandlerAdapter implements MultiplexedConnection {

    private final Channel channel;
    private final Http2FrameCodec frames;
    private final Promise<MultiplexedConnection> ready;
    private final long idleTimeoutMillis;
    private final boolean secure;
    private final int maxResponseHead;
    private final Http2StreamChannelBootstrap streams;
    private int open;
    private long completed;
    private boolean goingAway;
    private ScheduledFuture<?> idleClose;

    private Http2UpstreamConnection(Channel channel, Http2FrameCodec frames, long idleTimeoutMillis, int maxResponseHead) {
        this.channel = channel;
        this.frames = frames;
        this.ready = channel.eventLoop().newPromise();
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.secure = channel.pipeline().get(SslHandler.class) != null;
        this.maxResponseHead = maxResponseHead;
        this.streams = new Http2StreamChannelBootstrap(channel)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new StreamInitializer());
    }

    /**
     * Makes {@code channel} (a new connection with {@link UpstreamCodec} installed) speak HTTP/2
     * from its next byte. The future completes with the connection on the server's SETTINGS.
     */
    static Future<MultiplexedConnection> install(Channel channel, Http2Tuning tuning, long connectTimeoutMillis,
                                                 long idleTimeoutMillis, int maxResponseHead) {
        channel.pipeline().remove(UpstreamCodec.class);
        channel.pipeline().remove(UpstreamHandler.class);
        Http2FrameCodec frames = Http2FrameCodecBuilder.forClient()
                .initialSettings(tuning.upstreamSettings(maxResponseHead))
                .build();
        Http2UpstreamConnection connection = new Http2UpstreamConnection(channel, frames, idleTimeoutMillis, maxResponseHead);
        channel.pipeline()
                .addLast(frames)
                .addLast(new Http2MultiplexHandler(new RefusedPush()))
                .addLast(connection);
        ScheduledFuture<?> timeout = channel.eventLoop().schedule(() -> {
            if (connection.ready.tryFailure(new ConnectException("no HTTP/2 SETTINGS from the server within timeout.connect"))) {
                channel.close();
            }
        }, connectTimeoutMillis, TimeUnit.MILLISECONDS);
        connection.ready.addListener(f -> timeout.cancel(false));
        channel.closeFuture().addListener(f -> connection.ready.tryFailure(
                new ConnectException("the server closed the connection instead of speaking HTTP/2")));
        // The connection is read all the time: each stream reads for itself through flow control.
        channel.config().setAutoRead(true);
        channel.flush();
        return connection.ready;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public boolean canOpen() {
        return channel.isActive() && !goingAway && ready.isSuccess()
                && open < frames.connection().local().maxActiveStreams();
    }

    @Override
    public int openStreams() {
        return open;
    }

    @Override
    public long completedStreams() {
        return completed;
    }

    @Override
    public Future<Channel> open() {
        Promise<Channel> opened = channel.eventLoop().newPromise();
        open++;
        if (idleClose != null) {
            idleClose.cancel(false);
            idleClose = null;
        }
        streams.open().addListener(f -> {
            if (!f.isSuccess()) {
                open--;
                idleIfUnused();
                opened.setFailure(f.cause());
                return;
            }
            Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
            Http2UpstreamStream codec = stream.pipeline().get(Http2UpstreamStream.class);
            stream.closeFuture().addListener(c -> streamClosed(codec));
            opened.setSuccess(stream);
        });
        return opened;
    }

    private void streamClosed(Http2UpstreamStream codec) {
        open--;
        if (codec != null && codec.completed()) {
            completed++;
        }
        idleIfUnused();
    }

    /** With no stream open: closes now after a GOAWAY, else after the idle timeout. */
    private void idleIfUnused() {
        if (open > 0 || !channel.isActive()) {
            return;
        }
        if (goingAway) {
            channel.close();
        } else if (idleClose == null) {
            idleClose = channel.eventLoop().schedule(() -> {
                idleClose = null;
                if (open == 0) {
                    channel.close();
                }
            }, idleTimeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http2SettingsFrame) {
                ready.trySuccess(this);
                idleIfUnused();
            } else if (msg instanceof Http2GoAwayFrame) {
                // No new stream here; the multiplexer already told the streams it covers that they
                // were not processed (Http2UpstreamStream), the others finish.
                goingAway = true;
                idleIfUnused();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        goingAway = true;
        if (idleClose != null) {
            idleClose.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A connection error: the codec has answered it with GOAWAY and closes; no new stream goes here.
        goingAway = true;
    }

    /** Sets up one stream: the HTTP/2 to HTTP/1.1 messages codec, then the exchange's handler. */
    private final class StreamInitializer extends ChannelInitializer<Http2StreamChannel> {
        @Override
        protected void initChannel(Http2StreamChannel stream) {
            stream.pipeline()
                    .addLast(new Http2UpstreamStream(secure, maxResponseHead))
                    .addLast(new UpstreamHandler());
        }
    }

    /** A server may not push (SETTINGS_ENABLE_PUSH is 0): a stream it opens anyway is closed. */
    private static final class RefusedPush extends ChannelInitializer<Http2StreamChannel> {
        @Override
        protected void initChannel(Http2StreamChannel stream) {
            stream.close();
        }
    }
}
