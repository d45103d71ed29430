package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Settings;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;

/**
 * Netty's frame writer, but the frames every response makes, a HEADERS frame (with its
 * CONTINUATION frames when the block is larger than a frame) and a small DATA frame, are written
 * one behind the other into one buffer, the connection's batch, which goes to the pipeline as one
 * write when the connection flushes ({@link #writeBatch}, called by {@link Http2BatchFlowController}
 * once flow control has written what the windows allow, and before a close) or when any other frame
 * is written (so that every frame leaves in the order it was written, as the peer's HPACK state
 * needs). Netty's writer makes two buffers per frame (header and payload) joined by a promise
 * aggregator, and every write is a pass through the pipeline (its promise check, the outbound
 * buffer's entry): a response cost up to four writes that way, and here a share of one per flush,
 * whatever the number of streams the flush answers.
 *
 * <p>The promises of the frames in a batch are completed together, with the batch's write. A
 * batch holds at most {@link #BATCH_CAPACITY} bytes but for one large header block: a fuller batch
 * is written before the next frame, so that the channel's writability (which flow control reads to
 * size what it writes) never lags by more. Padded frames, larger DATA frames and every other frame
 * are Netty's. Confined to the connection's loop.
 */
final class Http2ResponseFrameWriter extends DefaultHttp2FrameWriter {

    private static final int FRAME_HEADER_LENGTH = 9;
    private static final int END_STREAM = 0x1;
    private static final int END_HEADERS = 0x4;
    /** DATA payloads up to this size are copied into the batch (cheaper than a buffer of their own). */
    static final int COPIED_DATA_LIMIT = 2048;
    /** What a batch's buffer holds: the heads and small bodies of a flush's responses. */
    static final int BATCH_CAPACITY = 4096;
    /** What a response head usually takes as HPACK: less room left starts a new batch. */
    private static final int HEADER_BLOCK_GUESS = 256;

    private final Http2HeadersEncoder hpack;
    /** The frames written since the last {@link #writeBatch}, if any. */
    private ByteBuf batch;
    /**
     * The batch's own promise, if a frame's writer asked for it ({@link #endPromise}): the batch is
     * written with it, so that the n streams a flush ends wait on one promise, not n.
     */
    private ChannelPromise batchPromise;
    /** The promises of those frames that are no void ones, completed with the batch's write. */
    private ChannelPromise[] waiting = new ChannelPromise[0];
    private int waitingCount;
    /** The connection is gone: a frame is written at once (and fails there). */
    private boolean closed;

    Http2ResponseFrameWriter(Http2HeadersEncoder hpack) {
        super(hpack);
        this.hpack = hpack;
    }

    @Override
    public ChannelFuture writeHeaders(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
            boolean endStream, ChannelPromise promise) {
        if (padding != 0 || streamId <= 0) {
            writeBatch(ctx);
            return super.writeHeaders(ctx, streamId, headers, padding, endStream, promise);
        }
        try {
            batchHeaders(ctx, streamId, headers, endStream);
        } catch (Http2Exception e) {
            // As Netty's writer: the failed promise tells the encoder, which makes it the stream's error.
            return promise.setFailure(e);
        } catch (RuntimeException | Error e) {
            promise.setFailure(e);
            throw e;
        }
        return batched(ctx, promise);
    }

    /**
     * A response head that does not end its stream, with no promise ({@link Http2ResponseDataEncoder}'s
     * path): into the batch, or, when HPACK fails, nothing written and the failure thrown.
     */
    void writeHead(ChannelHandlerContext ctx, int streamId, Http2Headers headers) throws Http2Exception {
        batchHeaders(ctx, streamId, headers, false);
        if (closed) {
            writeBatch(ctx);
        }
    }

    private void batchHeaders(ChannelHandlerContext ctx, int streamId, Http2Headers headers, boolean endStream)
            throws Http2Exception {
        ByteBuf out = batchFor(ctx, FRAME_HEADER_LENGTH + HEADER_BLOCK_GUESS);
        int start = out.writerIndex();
        try {
            out.writerIndex(start + FRAME_HEADER_LENGTH);
            hpack.encodeHeaders(streamId, headers, out);
        } catch (Http2Exception | RuntimeException | Error e) {
            out.writerIndex(start);
            throw e;
        }
        int length = out.writerIndex() - start - FRAME_HEADER_LENGTH;
        int maxFrame = maxFrameSize();
        int endFlag = endStream ? END_STREAM : 0;
        if (length <= maxFrame) {
            out.setMedium(start, length);
            out.setByte(start + 3, Http2FrameTypes.HEADERS);
            out.setByte(start + 4, END_HEADERS | endFlag);
            out.setInt(start + 5, streamId);
        } else {
            split(out, start, streamId, length, maxFrame, endFlag);
        }
    }

    /**
     * A block larger than a frame, encoded behind the room for one frame header at {@code start}:
     * rewritten there as a HEADERS frame, then CONTINUATION frames, the last with END_HEADERS.
     */
    private static void split(ByteBuf out, int start, int streamId, int length, int maxFrame, int endFlag) {
        ByteBuf block = out.copy(start + FRAME_HEADER_LENGTH, length);
        try {
            out.writerIndex(start);
            int offset = 0;
            boolean first = true;
            while (offset < length) {
                int n = Math.min(maxFrame, length - offset);
                boolean last = offset + n == length;
                out.writeMedium(n);
                out.writeByte(first ? Http2FrameTypes.HEADERS : Http2FrameTypes.CONTINUATION);
                out.writeByte((last ? END_HEADERS : 0) | (first ? endFlag : 0));
                out.writeInt(streamId);
                out.writeBytes(block, offset, n);
                offset += n;
                first = false;
            }
        } finally {
            block.release();
        }
    }

    @Override
    public ChannelFuture writeData(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
            boolean endStream, ChannelPromise promise) {
        int length = data.readableBytes();
        if (padding != 0 || streamId <= 0 || length > COPIED_DATA_LIMIT || length > maxFrameSize()) {
            writeBatch(ctx);
            return super.writeData(ctx, streamId, data, padding, endStream, promise);
        }
        ByteBuf out = null;
        int start = 0;
        try {
            out = batchFor(ctx, FRAME_HEADER_LENGTH + length);
            start = out.writerIndex();
            out.writeMedium(length);
            out.writeByte(Http2FrameTypes.DATA);
            out.writeByte(endStream ? END_STREAM : 0);
            out.writeInt(streamId);
            out.writeBytes(data, data.readerIndex(), length);
        } catch (RuntimeException | Error e) {
            if (out != null) {
                // No half frame stays in the batch for the frames behind it.
                out.writerIndex(start);
            }
            if (promise != batchPromise) {
                promise.setFailure(e);
            }
            // The batch's own promise is left alone: the other frames in the batch still leave with it, and
            // their streams must not hear of this failure. The caller's entry hears of it by the throw
            // (flow control cancels it: that stream's error only).
            throw e;
        } finally {
            // The writer owns the payload, as Netty's does.
            data.release();
        }
        return batched(ctx, promise);
    }

    /**
     * The promise for a stream's last DATA frame of {@code length} bytes, whose write the stream's
     * close waits for: when the frame will go into the batch, the batch's own promise (made once per
     * batch, with room for the frame made now so that the frame goes into this very batch), else
     * a promise of its own. The caller writes the frame next, with this promise.
     */
    ChannelPromise endPromise(ChannelHandlerContext ctx, int length) {
        if (closed || length > COPIED_DATA_LIMIT || length > maxFrameSize()) {
            return ctx.newPromise();
        }
        batchFor(ctx, FRAME_HEADER_LENGTH + length);
        ChannelPromise promise = batchPromise;
        if (promise == null) {
            promise = ctx.newPromise();
            batchPromise = promise;
        }
        return promise;
    }

    /** Whether {@code promise} is the batch's own, which only the batch's write completes. */
    boolean isBatchPromise(ChannelPromise promise) {
        return promise == batchPromise;
    }

    /** The batch, with room for {@code bytes} more: the one going, if it has the room, else a new one. */
    private ByteBuf batchFor(ChannelHandlerContext ctx, int bytes) {
        ByteBuf out = batch;
        if (out != null && out.writableBytes() >= bytes) {
            return out;
        }
        writeBatch(ctx);
        // The write may have called back into this writer (a writability change, a failed
        // promise's listener) and begun a batch: frames go behind it, never in place of it.
        out = batch;
        if (out != null && out.writableBytes() >= bytes) {
            return out;
        }
        if (out != null) {
            writeBatch(ctx);
        }
        out = ctx.alloc().buffer(Math.max(BATCH_CAPACITY, bytes));
        batch = out;
        return out;
    }

    /** A frame is in the batch: its promise waits for the batch's write (at once after a close). */
    private ChannelFuture batched(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (!promise.isVoid() && promise != batchPromise) {
            if (waitingCount == waiting.length) {
                waiting = Arrays.copyOf(waiting, Math.max(4, waitingCount << 1));
            }
            waiting[waitingCount++] = promise;
        }
        if (closed) {
            writeBatch(ctx);
        }
        return promise;
    }

    /**
     * Hands the batch, if any, to the pipeline as one write; its frames' promises complete with it.
     * The caller flushes (or the next flush takes it).
     */
    void writeBatch(ChannelHandlerContext ctx) {
        ByteBuf out = batch;
        if (out == null) {
            return;
        }
        batch = null;
        int count = waitingCount;
        ChannelPromise own = batchPromise;
        if (own != null) {
            batchPromise = null;
            if (count > 0) {
                // Added behind the listeners of the streams the batch ends: within one flush, those
                // streams close before the batch's other promises complete (accepted: the frames
                // are all in the one write, whatever the order its listeners run in).
                own.addListener(new Completion(taken(count)));
            }
            ctx.write(out, own);
        } else if (count == 0 && !out.isReadable()) {
            // Only a head whose encoding failed was to be in it.
            out.release();
        } else if (count == 0) {
            ctx.write(out, ctx.voidPromise());
        } else if (count == 1) {
            ChannelPromise only = waiting[0];
            waiting[0] = null;
            waitingCount = 0;
            ctx.write(out, only);
        } else {
            ctx.write(out).addListener(new Completion(taken(count)));
        }
    }

    /** The promises waiting on the batch, taken out of {@link #waiting}. */
    private ChannelPromise[] taken(int count) {
        ChannelPromise[] promises = Arrays.copyOf(waiting, count);
        Arrays.fill(waiting, 0, count, null);
        waitingCount = 0;
        return promises;
    }

    /** The promises of a batch's frames, completed as its write completes. */
    private record Completion(ChannelPromise[] promises) implements ChannelFutureListener {

        @Override
        public void operationComplete(ChannelFuture future) {
            Throwable cause = future.cause();
            for (ChannelPromise promise : promises) {
                if (cause == null) {
                    promise.trySuccess();
                } else {
                    promise.tryFailure(cause);
                }
            }
        }
    }

    /** The connection is gone (Netty's decoder closes the encoder as the channel goes inactive). */
    @Override
    public void close() {
        closed = true;
        ByteBuf out = batch;
        if (out != null) {
            batch = null;
            out.release();
        }
        int count = waitingCount;
        ChannelPromise own = batchPromise;
        batchPromise = null;
        if (count > 0 || own != null) {
            // Taken out first: a listener of these promises may batch a frame of its own.
            ChannelPromise[] promises = taken(count);
            ClosedChannelException cause = new ClosedChannelException();
            for (ChannelPromise promise : promises) {
                promise.tryFailure(cause);
            }
            if (own != null) {
                own.tryFailure(cause);
            }
        }
        super.close();
    }

    // ---- every other frame: the batch first, then Netty's writer ----

    @Override
    public ChannelFuture writeHeaders(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
            short weight, boolean exclusive, int padding, boolean endStream, ChannelPromise promise) {
        writeBatch(ctx);
        return super.writeHeaders(ctx, streamId, headers, streamDependency, weight, exclusive, padding, endStream, promise);
    }

    @Override
    public ChannelFuture writePriority(ChannelHandlerContext ctx, int streamId, int streamDependency, short weight,
            boolean exclusive, ChannelPromise promise) {
        writeBatch(ctx);
        return super.writePriority(ctx, streamId, streamDependency, weight, exclusive, promise);
    }

    @Override
    public ChannelFuture writeRstStream(ChannelHandlerContext ctx, int streamId, long errorCode, ChannelPromise promise) {
        writeBatch(ctx);
        return super.writeRstStream(ctx, streamId, errorCode, promise);
    }

    @Override
    public ChannelFuture writeSettings(ChannelHandlerContext ctx, Http2Settings settings, ChannelPromise promise) {
        writeBatch(ctx);
        return super.writeSettings(ctx, settings, promise);
    }

    @Override
    public ChannelFuture writeSettingsAck(ChannelHandlerContext ctx, ChannelPromise promise) {
        writeBatch(ctx);
        return super.writeSettingsAck(ctx, promise);
    }

    @Override
    public ChannelFuture writePing(ChannelHandlerContext ctx, boolean ack, long data, ChannelPromise promise) {
        writeBatch(ctx);
        return super.writePing(ctx, ack, data, promise);
    }

    @Override
    public ChannelFuture writePushPromise(ChannelHandlerContext ctx, int streamId, int promisedStreamId,
            Http2Headers headers, int padding, ChannelPromise promise) {
        writeBatch(ctx);
        return super.writePushPromise(ctx, streamId, promisedStreamId, headers, padding, promise);
    }

    @Override
    public ChannelFuture writeGoAway(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData,
            ChannelPromise promise) {
        writeBatch(ctx);
        return super.writeGoAway(ctx, lastStreamId, errorCode, debugData, promise);
    }

    @Override
    public ChannelFuture writeWindowUpdate(ChannelHandlerContext ctx, int streamId, int windowSizeIncrement,
            ChannelPromise promise) {
        writeBatch(ctx);
        return super.writeWindowUpdate(ctx, streamId, windowSizeIncrement, promise);
    }

    @Override
    public ChannelFuture writeFrame(ChannelHandlerContext ctx, byte frameType, int streamId, Http2Flags flags,
            ByteBuf payload, ChannelPromise promise) {
        writeBatch(ctx);
        return super.writeFrame(ctx, frameType, streamId, flags, payload, promise);
    }
}
