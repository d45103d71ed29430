package io.luagate.plugin.http;

import io.luagate.spi.stream.DrainEvent;
import io.luagate.spi.stream.Session;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/2 client connection (RFC 9113): Netty's connection handler (HPACK, flow control,
 * settings, GOAWAY: {@link Http2ClientHandler}), whose frame listener ({@link Http2StreamDispatch})
 * gives the frames to one light {@link Http2ClientStream} per stream, for
 * which a {@link Http2StreamBridge} (frames to HTTP/1.1 messages and back) and the same
 * {@link HttpSessionHandler} and exchange as for HTTP/1.1 serve exactly one request. Each stream
 * is one luagate stream: rules, filters, Lua, services and the access log see it as they see an
 * HTTP/1.1 request. The streams' timers share one scheduled check ({@link TimerGroup}).
 *
 * <p>Backpressure is HTTP/2's own: a stream takes its frames (and so opens the client's window)
 * only when its exchange asks for more body, as an HTTP/1.1 connection reads only then; the
 * connection itself is always read, so one slow stream never stalls the others.
 *
 * <p>The limits are {@code global.tune.h2} ({@link Http2Tuning}, HAProxy 2.6's keys and defaults),
 * and a header list no larger than the frontend's buffer ({@code tune.bufsize}). Netty's handler refuses the
 * known floods, bounded below: too many resets in a window (rapid reset, and the resets a client
 * provokes), CONTINUATION frames beyond the header list size or empty, empty DATA frames, queued
 * control frames (ping and settings floods). {@link Http2StreamIdCheck} answers HEADERS frames on
 * stream ids already used, ahead of the handler.
 */
final class Http2ClientConnection {

    private static final Logger LOG = LoggerFactory.getLogger(Http2ClientConnection.class);

    // The floods a client may try, each bounded by a count (HAProxy's "glitches" idea: what costs
    // luagate work and the client nothing ends the connection with GOAWAY ENHANCE_YOUR_CALM).
    /**
     * RST_STREAM frames a client may send, and resets it may make luagate send (a WINDOW_UPDATE of
     * 0, DATA past a window...: "MadeYouReset"), each this many per {@link #RESET_WINDOW_SECONDS}.
     */
    static final int MAX_RESETS = 200;
    static final int RESET_WINDOW_SECONDS = 30;
    /** Empty DATA frames in a row that do not end their stream. */
    static final int MAX_EMPTY_DATA_FRAMES = 2;
    /**
     * CONTINUATION frames in a row too small to count against the header list size (empty ones);
     * larger ones are cut off by the header list size itself (tune.bufsize).
     */
    static final int MAX_SMALL_CONTINUATION_FRAMES = 16;
    /**
     * Answers to control frames (PING and SETTINGS acknowledgements, resets) waiting for a client
     * that does not read: a PING or SETTINGS flood from a client that never takes the answers.
     */
    static final int MAX_QUEUED_CONTROL_FRAMES = 10_000;

    private Http2ClientConnection() {
    }

    /** Makes {@code channel}, an accepted client connection, speak HTTP/2 from its first byte. */
    static void install(Channel channel, Session session, Http2Tuning tuning) {
        int bufferSize = session.frontend().bufferSize();
        int maxHeaderList = Math.min(session.frontend().maxHeaderSize(), bufferSize);
        TimerGroup streamTimers = new TimerGroup(channel.eventLoop());
        Http2ClientHandler frames = new Http2ClientHandler.Builder(new Http2StreamDispatch(session, streamTimers))
                .initialSettings(tuning.settings(maxHeaderList, bufferSize))
                .decoderEnforceMaxRstFramesPerWindow(MAX_RESETS, RESET_WINDOW_SECONDS)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(MAX_EMPTY_DATA_FRAMES)
                .decoderEnforceMaxSmallContinuationFrames(MAX_SMALL_CONTINUATION_FRAMES)
                .outboundLimits(MAX_QUEUED_CONTROL_FRAMES, MAX_RESETS, RESET_WINDOW_SECONDS)
                .gracefulShutdownTimeoutMillis(session.frontend().clientTimeoutMillis())
                .build();
        long idle = session.frontend().clientTimeoutMillis();
        channel.pipeline()
                // The flushes of one read (the handler's, SETTINGS and PING answers...) leave in one write;
                // the streams' flushes outside a read are gathered per turn of the loop by the dispatch.
                .addLast(new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, false))
                .addLast(new Http2IdleWatch(frames.connection(), idle))
                .addLast(new Http2StreamIdCheck(frames))
                .addLast(frames)
                .addLast(new ConnectionEnd(frames.connection(), streamTimers));
        // Streams read for themselves (flow control); the connection is always read.
        channel.config().setAutoRead(true);
    }

    /**
     * Ends the connection gracefully (GOAWAY, the streams under way finish within timeout.client,
     * then the close) on a soft stop, as HAProxy does, when the client sent its own GOAWAY, and when it stayed idle with no stream open
     * for timeout.client (HAProxy 2.6's idle HTTP/2 connection timeout): a client that opens a
     * connection and sends nothing, or nothing more, does not keep it. A connection with streams
     * open is bounded by the streams' own timers.
     */
    private static final class ConnectionEnd extends ChannelInboundHandlerAdapter {

        private final Http2Connection connection;
        private final TimerGroup streamTimers;

        ConnectionEnd(Http2Connection connection, TimerGroup streamTimers) {
            this.connection = connection;
            this.streamTimers = streamTimers;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            streamTimers.close();
            ctx.fireChannelInactive();
        }

        /**
         * A protocol error the client made (the handler tells the pipeline first, then answers it with
         * GOAWAY and its code, and closes: closing here would send GOAWAY NO_ERROR ahead of it), or
         * a reset by the client (the connection ends). Either way at debug level: hostile clients
         * cannot fill the log with warnings.
         */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("HTTP/2 connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
            if (!(cause instanceof Http2Exception)) {
                ctx.close();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof DrainEvent) {
                ctx.close();
                return;
            }
            if (evt instanceof IdleStateEvent) {
                if (connection.numActiveStreams() == 0) {
                    ctx.close();
                }
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
