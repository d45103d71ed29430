package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DecoratingHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2LifecycleManager;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * Netty's encoder, but a stream's DATA waits in flow control as one light {@link Data} entry:
 * Netty's own entry costs every DATA write a promise made from the caller's (even a void one), a
 * buffer queue, a second promise per piece written joined to the first by a notifier, and a
 * listener to close the stream after it; this one writes each piece with one promise and one
 * listener that does both (what failed is told to the lifecycle manager, then the stream closes),
 * and none of it for a piece that neither ends the stream nor has a caller waiting. The last piece
 * of a stream nobody waits on shares the promise of the frame writer's batch it goes into, so that
 * a flush ending n streams makes one promise, not n ({@link Http2ResponseFrameWriter#endPromise}). Flow control
 * is Netty's (windows, the byte distributor, the order of the stream's frames: trailers queued
 * behind the DATA still wait for it). Padded DATA, and an empty piece that does not end the
 * stream, are left to Netty's path. Confined to the connection's loop.
 */
final class Http2ResponseDataEncoder extends DecoratingHttp2ConnectionEncoder {

    private final Http2ResponseFrameWriter writer;
    private Http2LifecycleManager lifecycle;

    /** {@code writer}: the frame writer of {@code delegate}. */
    Http2ResponseDataEncoder(Http2ConnectionEncoder delegate, Http2ResponseFrameWriter writer) {
        super(delegate);
        if (delegate.frameWriter() != writer) {
            // The DATA frames go to this writer, the rest of the stream's frames to the delegate's: one writer, one order.
            throw new IllegalArgumentException("writer is not the frame writer of delegate");
        }
        this.writer = writer;
    }

    @Override
    public void lifecycleManager(Http2LifecycleManager lifecycleManager) {
        this.lifecycle = lifecycleManager;
        super.lifecycleManager(lifecycleManager);
    }

    @Override
    public ChannelFuture writeData(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endStream,
            ChannelPromise promise) {
        Http2Stream stream = connection().stream(streamId);
        if (padding != 0 || stream == null || !data.isReadable() && !endStream || !sendsData(stream.state())) {
            // Netty's path: its padding, its empty-piece ordering, its failure for a stream in the wrong state.
            return super.writeData(ctx, streamId, data, padding, endStream, promise);
        }
        flowController().addFlowControlled(stream, new Data(stream, data, endStream, promise));
        return promise;
    }

    /**
     * A response head with a body to follow, that nobody waits on (the void promise): what Netty's
     * encoder does for it (the stream's state checked, the head written, the stream marked as having
     * sent it; an HPACK failure told to the lifecycle manager as outbound, and nothing written),
     * without making the void promise a real one with a listener to tell the lifecycle manager of
     * a failure: the head goes into the frame writer's batch, whose write fails the pipeline's way.
     * Heads that end a stream (whose close waits on their write), trailers, a second head and
     * padded ones are Netty's.
     */
    @Override
    public ChannelFuture writeHeaders(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
            boolean endStream, ChannelPromise promise) {
        Http2Stream stream;
        if (endStream || padding != 0 || !promise.isVoid() || (stream = connection().stream(streamId)) == null
                || !sendsData(stream.state()) || stream.isHeadersSent() || stream.isTrailersSent()) {
            return super.writeHeaders(ctx, streamId, headers, padding, endStream, promise);
        }
        boolean informational = informational(headers.status());
        try {
            writer.writeHead(ctx, streamId, headers);
        } catch (Http2Exception | RuntimeException e) {
            // As Netty's encoder does with the void promise it made a real one: only the lifecycle
            // manager hears of it, as an outbound error (failing the void promise would also tell
            // the pipeline, which takes it for the client's error).
            lifecycle.onError(ctx, true, e);
            return promise;
        }
        stream.headersSent(informational);
        return promise;
    }

    private static boolean informational(CharSequence status) {
        return status != null && status.length() == 3 && status.charAt(0) == '1';
    }

    private static boolean sendsData(Http2Stream.State state) {
        return state == Http2Stream.State.OPEN || state == Http2Stream.State.HALF_CLOSED_REMOTE;
    }

    /**
     * One DATA write of a stream waiting in flow control (or several merged): written in as many
     * pieces as the windows allow; the caller's promise, if it is no void one, is the last piece's.
     */
    private final class Data implements Http2RemoteFlowController.FlowControlled, ChannelFutureListener {

        private final Http2Stream stream;
        /** What is left to write; {@code null} once all of it is written or it failed. */
        private ByteBuf data;
        /**
         * The bytes flow control counts for this entry: what is left to write. Unchanged by a failure
         * (flow control takes back what it counted from this very figure), zero at the next write.
         */
        private int size;
        private boolean endStream;
        private ChannelPromise promise;
        /** The last piece is written and the stream's close waits for its write to complete. */
        private boolean closeWhenWritten;
        /**
         * {@link #promise} is the frame writer's batch's, shared with the other frames of the batch:
         * only the batch's write completes it.
         */
        private boolean shared;

        Data(Http2Stream stream, ByteBuf data, boolean endStream, ChannelPromise promise) {
            this.stream = stream;
            this.data = data;
            this.size = data.readableBytes();
            this.endStream = endStream;
            this.promise = promise;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public void write(ChannelHandlerContext ctx, int allowedBytes) {
            if (data == null) {
                // Failed before: nothing left to send, and flow control takes it as written.
                size = 0;
                return;
            }
            int length = Math.min(size, allowedBytes);
            if (length == 0 && size > 0) {
                return;
            }
            if (length < size) {
                // A piece the windows allow; the rest waits. No caller waits on it: a failure is the connection's.
                ChannelPromise piece = ctx.newPromise().addListener(this);
                size -= length;
                writer.writeData(ctx, stream.id(), data.readRetainedSlice(length), 0, false, piece);
                return;
            }
            ByteBuf last = data;
            data = null;
            size = 0;
            ChannelPromise written = promise;
            if (written.isVoid() && endStream) {
                // The stream's close waits for the batch the frame goes into: one promise for all
                // the streams a flush ends (or the frame's own when it does not go into the batch).
                written = writer.endPromise(ctx, last.readableBytes());
                shared = writer.isBatchPromise(written);
            } else if (written.isVoid()) {
                written = null;
            }
            if (written == null) {
                // Neither a caller nor the stream's close waits on it: a failure reaches the pipeline.
                writer.writeData(ctx, stream.id(), last, 0, false, ctx.voidPromise());
                return;
            }
            promise = written;
            written.addListener(this);
            writer.writeData(ctx, stream.id(), last, 0, endStream, written);
        }

        /**
         * All of it written (not yet out): the stream's end is noted as Netty's encoder notes it; a
         * stream the client ended too closes once the last piece is out (so that a graceful close of
         * the connection, which comes with the last stream's close, never cuts it).
         */
        @Override
        public void writeComplete() {
            if (!endStream || promise.isVoid()) {
                // Nothing ends here, or it failed before its last piece was written (the failure ended the stream).
                return;
            }
            Http2Stream.State state = stream.state();
            if (state == Http2Stream.State.OPEN || state == Http2Stream.State.HALF_CLOSED_LOCAL || promise.isDone()) {
                lifecycle.closeStreamLocal(stream, promise);
            } else {
                closeWhenWritten = true;
            }
        }

        /** A piece left (or failed): a failure is the lifecycle manager's, then the stream may close. */
        @Override
        public void operationComplete(ChannelFuture future) {
            Throwable cause = future.cause();
            if (cause != null) {
                lifecycle.onError(flowController().channelHandlerContext(), true, cause);
            }
            if (closeWhenWritten && future == promise) {
                closeWhenWritten = false;
                lifecycle.closeStream(stream, future);
            }
        }

        @Override
        public void error(ChannelHandlerContext ctx, Throwable cause) {
            if (data != null) {
                data.release();
                data = null;
            }
            if (shared) {
                // Its last frame never went into the batch (copying it failed): the batch's promise
                // stays the other streams', and the failure is this stream's alone. Its end never
                // leaves, so it is reset (luagate's handler takes an outbound stream error as told
                // already, and Netty's would reset it as well: a second reset is not sent).
                promise.removeListener(this);
                lifecycle.resetStream(ctx, stream.id(), Http2Error.INTERNAL_ERROR.code(), ctx.newPromise());
            } else if (!promise.isVoid()) {
                promise.tryFailure(cause);
            }
            lifecycle.onError(ctx, true, cause);
        }

        /**
         * Takes the stream's next DATA write into this one (one frame where the windows allow), as
         * Netty's entry does, unless both have a caller waiting on a promise of its own.
         */
        @Override
        public boolean merge(ChannelHandlerContext ctx, Http2RemoteFlowController.FlowControlled next) {
            if (!(next instanceof Data more) || data == null || more.data == null || endStream
                    || !promise.isVoid() && !more.promise.isVoid() || Integer.MAX_VALUE - more.size < size) {
                return false;
            }
            CompositeByteBuf joined;
            if (data instanceof CompositeByteBuf composite) {
                joined = composite;
            } else {
                joined = ctx.alloc().compositeBuffer();
                joined.addComponent(true, data);
            }
            joined.addComponent(true, more.data);
            data = joined;
            size += more.size;
            endStream = more.endStream;
            if (promise.isVoid()) {
                promise = more.promise;
            }
            more.data = null;
            return true;
        }
    }
}
