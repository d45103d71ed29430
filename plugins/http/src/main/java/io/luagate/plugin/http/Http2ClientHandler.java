package io.luagate.plugin.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameReader;
import io.netty.handler.codec.http2.Http2LocalFlowController;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;

/**
 * Netty's HTTP/2 connection handler for a client connection (HPACK, flow control, settings,
 * GOAWAY, the flood limits), whose frames go straight to one {@link Http2StreamDispatch} as calls
 * of its {@link io.netty.handler.codec.http2.Http2FrameListener}, and whose streams' answers it
 * writes straight to its encoder: no frame object, no pipeline pass and no event per frame or
 * stream state change, as Netty's {@code Http2FrameCodec} made.
 *
 * <p>What the frame codec did around Netty's handler is kept: the connection's receive window
 * grows with {@code initial-window-size} (the codec's doubling), a client's protocol error is
 * told to the pipeline (the connection's end logs it) before it is answered with GOAWAY, and a
 * stream error on a stream the client opened is answered with its own code after what that
 * stream's answer already has in flow control (a reset first would put DATA after its
 * RST_STREAM); its exchange then ends. Confined to the connection's loop.
 */
final class Http2ClientHandler extends Http2ConnectionHandler {

    private final Http2StreamDispatch streams;
    private final Integer initialWindowSize;
    private final Http2ResponseFrameWriter writer;
    private ChannelHandlerContext ctx;

    private Http2ClientHandler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings,
            Http2StreamDispatch streams, Http2ResponseFrameWriter writer) {
        super(decoder, encoder, settings);
        this.streams = streams;
        this.writer = writer;
        this.initialWindowSize = settings.initialWindowSize();
        decoder.frameListener(streams);
        streams.attach(this);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
        growConnectionWindow();
    }

    /**
     * The connection's window is not set by SETTINGS: grown to twice the streams' initial window when
     * that is larger than the default, so that one stream cannot use it all up (as Netty's frame codec does).
     */
    private void growConnectionWindow() throws Http2Exception {
        if (initialWindowSize == null) {
            return;
        }
        Http2Stream connectionStream = connection().connectionStream();
        Http2LocalFlowController flow = connection().local().flowController();
        int delta = initialWindowSize - flow.initialWindowSize(connectionStream);
        if (delta > 0) {
            flow.incrementWindowSize(connectionStream, Math.max(delta << 1, delta));
            flush(ctx);
        }
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        streams.readStarted();
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        streams.readEnded();
        super.channelReadComplete(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        super.channelWritabilityChanged(ctx);
        streams.connectionWritabilityChanged();
    }

    /** The frames batched so far leave before Netty's close (its GOAWAY, or an empty write after one) and its flush. */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        writer.writeBatch(ctx);
        super.close(ctx, promise);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        try {
            super.handlerRemoved0(ctx);
        } finally {
            writer.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        streams.connectionClosed();
        super.channelInactive(ctx);
    }

    /** The pipeline hears of a client's protocol error first (it is logged there), then it is answered. */
    @Override
    protected void onConnectionError(ChannelHandlerContext ctx, boolean outbound, Throwable cause, Http2Exception error) {
        if (!outbound) {
            ctx.fireExceptionCaught(cause);
        }
        super.onConnectionError(ctx, outbound, cause, error);
    }

    /**
     * A stream error found in what the client sent, on a stream it opened (a DATA frame on a
     * half-closed stream, a bad PRIORITY length, a window overflow...): reset with its own code,
     * then its exchange ends. One on a stream never opened is Netty's to answer (431 to a header
     * list too large, else RST_STREAM); an outbound one already failed its write.
     */
    @Override
    protected void onStreamError(ChannelHandlerContext ctx, boolean outbound, Throwable cause,
            Http2Exception.StreamException error) {
        Http2Stream stream = connection().stream(error.streamId());
        if (stream == null) {
            super.onStreamError(ctx, outbound, cause, error);
            return;
        }
        if (!outbound) {
            streams.streamError(stream, error.error());
        }
    }

    /**
     * Builds the handler with Netty's builder, around an encoder and decoder of luagate's making:
     * Netty's, but writing with {@link Http2ResponseFrameWriter} (a flush's frames in one buffer, written by
     * {@link Http2BatchFlowController} before Netty's handler flushes), its DATA waiting in flow control as
     * {@link Http2ResponseDataEncoder}'s light entries, with the outbound bounds Netty's
     * builder would add ({@link Http2OutboundLimits}); the inbound ones (resets, empty DATA
     * frames) Netty's builder still adds. A server whose DATA frames are shared among the streams
     * evenly ({@link UniformStreamByteDistributor}): RFC 9113 deprecates the priority scheme,
     * HAProxy 2.6 ignores it too, and Netty's default (a weighted fair queue per stream) costs every
     * stream a place in its queues. PRIORITY frames are still read and checked. Netty's validation
     * of a request's fields (in HPACK, and the connection decoder's look for pseudo-headers in
     * trailers; its required-pseudo-header check was never on) is off:
     * {@link Http2RequestFieldsDecoder} and {@link Http2RequestCheck} check all of it, once per field.
     */
    static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<Http2ClientHandler, Builder> {

        /** Netty's default bound on a header list nobody announced (the settings always do here). */
        private static final long DEFAULT_MAX_HEADER_LIST = 8192;

        private final Http2StreamDispatch streams;
        private int maxSmallContinuationFrames;
        private int maxQueuedControlFrames;
        private int maxResets;
        private int resetWindowSeconds;
        private Http2ResponseFrameWriter writer;

        Builder(Http2StreamDispatch streams) {
            this.streams = streams;
            // As Netty's frame codec builder: no graceful-shutdown wait unless one is set.
            gracefulShutdownTimeoutMillis(0);
        }

        @Override
        public Builder initialSettings(Http2Settings settings) {
            return super.initialSettings(settings);
        }

        @Override
        public Builder gracefulShutdownTimeoutMillis(long millis) {
            return super.gracefulShutdownTimeoutMillis(millis);
        }

        @Override
        public Builder decoderEnforceMaxRstFramesPerWindow(int frames, int seconds) {
            return super.decoderEnforceMaxRstFramesPerWindow(frames, seconds);
        }

        @Override
        public Builder decoderEnforceMaxConsecutiveEmptyDataFrames(int frames) {
            return super.decoderEnforceMaxConsecutiveEmptyDataFrames(frames);
        }

        @Override
        public Builder decoderEnforceMaxSmallContinuationFrames(int frames) {
            this.maxSmallContinuationFrames = frames;
            return this;
        }

        /** The bounds of {@link Http2OutboundLimits}. */
        Builder outboundLimits(int maxQueuedControlFrames, int maxResets, int resetWindowSeconds) {
            this.maxQueuedControlFrames = maxQueuedControlFrames;
            this.maxResets = maxResets;
            this.resetWindowSeconds = resetWindowSeconds;
            return this;
        }

        @Override
        public Http2ClientHandler build() {
            DefaultHttp2Connection connection = new DefaultHttp2Connection(true);
            Http2ResponseFrameWriter writer = new Http2ResponseFrameWriter(new DefaultHttp2HeadersEncoder(headerSensitivityDetector()));
            this.writer = writer;
            connection.remote().flowController(
                    new Http2BatchFlowController(connection, new UniformStreamByteDistributor(connection), writer));
            Long maxHeaderList = initialSettings().maxHeaderListSize();
            Http2FrameReader reader = new DefaultHttp2FrameReader(new Http2RequestFieldsDecoder(
                    maxHeaderList == null ? DEFAULT_MAX_HEADER_LIST : maxHeaderList), maxSmallContinuationFrames);
            Http2ConnectionEncoder encoder = new Http2OutboundLimits(
                    new Http2ResponseDataEncoder(new DefaultHttp2ConnectionEncoder(connection, writer), writer),
                    maxQueuedControlFrames, maxResets, resetWindowSeconds);
            Http2ConnectionDecoder decoder = new DefaultHttp2ConnectionDecoder(connection, encoder, reader,
                    promisedRequestVerifier(), isAutoAckSettingsFrame(), isAutoAckPingFrame(), false, false);
            codec(decoder, encoder);
            return super.build();
        }

        @Override
        protected Http2ClientHandler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
                Http2Settings settings) {
            return new Http2ClientHandler(decoder, encoder, settings, streams, writer);
        }
    }
}
