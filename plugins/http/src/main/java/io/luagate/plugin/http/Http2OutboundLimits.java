package io.luagate.plugin.http;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DecoratingHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2LifecycleManager;
import java.util.concurrent.TimeUnit;

/**
 * The bounds on what a client can make an HTTP/2 connection send, which Netty's builder puts
 * around its own encoder only (luagate builds the encoder itself, for
 * {@link Http2ResponseFrameWriter}), kept as Netty keeps them:
 * <ul>
 * <li>answers to control frames (SETTINGS and PING acknowledgements, RST_STREAM) not yet written
 * out, at most {@code maxQueuedControlFrames}: a client that floods PING or SETTINGS and never
 * reads the answers is cut off;</li>
 * <li>RST_STREAM frames sent with an error code other than CANCEL and NO_ERROR, at most
 * {@code maxResets} per {@code resetWindowSeconds}: the resets a client provokes ("MadeYouReset")
 * count as its own do.</li>
 * </ul>
 * Past either, the connection ends with GOAWAY ENHANCE_YOUR_CALM. Confined to the connection's loop.
 */
final class Http2OutboundLimits extends DecoratingHttp2ConnectionEncoder {

    private final int maxQueuedControlFrames;
    private final int maxResets;
    private final long resetWindowNanos;
    private Http2LifecycleManager lifecycle;
    private int queuedControlFrames;
    private final ChannelFutureListener controlFrameWritten = future -> queuedControlFrames--;
    private boolean controlLimitReached;
    private long resetWindowStart = System.nanoTime();
    private int resetsInWindow;

    Http2OutboundLimits(Http2ConnectionEncoder delegate, int maxQueuedControlFrames, int maxResets, int resetWindowSeconds) {
        super(delegate);
        this.maxQueuedControlFrames = maxQueuedControlFrames;
        this.maxResets = maxResets;
        this.resetWindowNanos = TimeUnit.SECONDS.toNanos(resetWindowSeconds);
    }

    @Override
    public void lifecycleManager(Http2LifecycleManager lifecycleManager) {
        this.lifecycle = lifecycleManager;
        super.lifecycleManager(lifecycleManager);
    }

    @Override
    public ChannelFuture writeSettingsAck(ChannelHandlerContext ctx, ChannelPromise promise) {
        return super.writeSettingsAck(ctx, controlFrame(ctx, promise));
    }

    @Override
    public ChannelFuture writePing(ChannelHandlerContext ctx, boolean ack, long data, ChannelPromise promise) {
        // Only the answers count: luagate sends no PING of its own.
        return super.writePing(ctx, ack, data, ack ? controlFrame(ctx, promise) : promise);
    }

    @Override
    public ChannelFuture writeRstStream(ChannelHandlerContext ctx, int streamId, long errorCode, ChannelPromise promise) {
        ChannelFuture future = super.writeRstStream(ctx, streamId, errorCode, controlFrame(ctx, promise));
        if (errorCode != Http2Error.CANCEL.code() && errorCode != Http2Error.NO_ERROR.code()) {
            long now = System.nanoTime();
            if (now - resetWindowStart >= resetWindowNanos) {
                resetWindowStart = now;
                resetsInWindow = 1;
            } else if (++resetsInWindow > maxResets) {
                tooMuch(ctx, "more than " + maxResets + " RST_STREAM frames within "
                        + TimeUnit.NANOSECONDS.toSeconds(resetWindowNanos) + " s");
            }
        }
        return future;
    }

    /** Counts a control frame until it is written out (or fails); past the bound, the connection ends. */
    private ChannelPromise controlFrame(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (controlLimitReached) {
            return promise;
        }
        if (queuedControlFrames == maxQueuedControlFrames) {
            // Some may leave with a flush.
            ctx.flush();
        }
        if (queuedControlFrames == maxQueuedControlFrames) {
            controlLimitReached = true;
            tooMuch(ctx, maxQueuedControlFrames + " control frames waiting for a client that does not read them");
        }
        queuedControlFrames++;
        ChannelPromise counted = promise.unvoid();
        counted.addListener(controlFrameWritten);
        return counted;
    }

    private void tooMuch(ChannelHandlerContext ctx, String what) {
        Http2Exception error = Http2Exception.connectionError(Http2Error.ENHANCE_YOUR_CALM, "%s", what);
        // The lifecycle manager sends GOAWAY first, then the connection closes.
        lifecycle.onError(ctx, true, error);
        ctx.close();
    }
}
