package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;

/**
 * Reads the frame headers a client sends, ahead of Netty's connection handler, and answers a HEADERS frame
 * on a stream id already used as RFC 9113 section 5.1 wants, where the codec cannot tell the cases
 * apart (it keeps no closed stream, so it resets them all alike):
 * <ul>
 * <li>on a stream whose request already ended (half-closed (remote), or closed by END_STREAM both
 * ways): a connection error STREAM_CLOSED. Half-closed (remote) only needs a stream error, but the
 * frame's header block would have to be decoded to keep HPACK in step, and RFC 9113 section 5.4.1
 * lets any stream error end the connection; HAProxy ends it too;</li>
 * <li>on an id lower than the highest one the client opened and that it skipped (a stream never
 * opened, so implicitly closed by section 5.1.1): a connection error PROTOCOL_ERROR;</li>
 * <li>on a stream that was reset (by the client, or by luagate while the client was still
 * sending): left to the codec, which decodes the block and resets the stream with STREAM_CLOSED, or
 * ignores the frame after its own reset, as section 5.1 allows.</li>
 * </ul>
 * A HEADERS frame on an id already used is judged once the codec has read every frame before it,
 * so the streams' states are current; one that opens a new stream, like every other frame, goes
 * through untouched: the bytes are only looked at, never copied nor split.
 *
 * <p>What it remembers is bounded: the highest stream id, the last {@value #REMEMBERED} ranges of
 * skipped ids and the last {@value #REMEMBERED} reset streams. An older skipped id counts as an
 * ended stream (still a connection error, with STREAM_CLOSED); a HEADERS frame on an older reset
 * stream too, as section 5.1 lets an endpoint treat frames that come long after as an error.
 */
final class Http2StreamIdCheck extends ChannelInboundHandlerAdapter {

    /** How many ranges of skipped ids, and how many reset streams, are remembered. */
    static final int REMEMBERED = 32;
    private static final int PREFACE_LENGTH = 24;
    private static final int FRAME_HEADER_LENGTH = 9;

    private final Http2ConnectionHandler frames;
    private ChannelHandlerContext codec;

    private int prefaceLeft = PREFACE_LENGTH;
    private final byte[] header = new byte[FRAME_HEADER_LENGTH];
    private int headerLength;
    private int payloadLeft;
    /** The highest stream id a client's HEADERS frame used. */
    private int highestId;
    private boolean failed;

    /** Skipped ids, {@code [skippedFrom[i], skippedTo[i]]}, a ring of the last ranges. */
    private final int[] skippedFrom = new int[REMEMBERED];
    private final int[] skippedTo = new int[REMEMBERED];
    private int skippedCount;
    private int skippedNext;
    /** Reset streams, a ring of the last ones; allocated on the first reset. */
    private int[] reset;
    private int resetCount;
    private int resetNext;

    Http2StreamIdCheck(Http2ConnectionHandler frames) {
        this.frames = frames;
        frames.connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                if (stream.isResetSent()) {
                    remember(stream.id());
                }
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (failed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        int passed = in.readerIndex();
        int pos = passed;
        int end = in.writerIndex();
        while (pos < end) {
            if (prefaceLeft > 0) {
                int n = Math.min(prefaceLeft, end - pos);
                prefaceLeft -= n;
                pos += n;
                continue;
            }
            if (payloadLeft > 0) {
                int n = Math.min(payloadLeft, end - pos);
                payloadLeft -= n;
                pos += n;
                continue;
            }
            int n = Math.min(FRAME_HEADER_LENGTH - headerLength, end - pos);
            in.getBytes(pos, header, headerLength, n);
            headerLength += n;
            pos += n;
            if (headerLength < FRAME_HEADER_LENGTH) {
                break;
            }
            headerLength = 0;
            payloadLeft = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | header[2] & 0xff;
            byte type = header[3];
            int id = ((header[5] & 0x7f) << 24) | (header[6] & 0xff) << 16 | (header[7] & 0xff) << 8 | header[8] & 0xff;
            if (type == Http2FrameTypes.RST_STREAM) {
                remember(id);
            } else if (type == Http2FrameTypes.HEADERS && (id & 1) == 1) {
                if (id > highestId) {
                    // A new stream, the usual case: nothing to ask the codec, the bytes are not split.
                    opened(id);
                    continue;
                }
                // The codec reads what came before this frame first, so the stream's state is current.
                int frameStart = Math.max(passed, pos - FRAME_HEADER_LENGTH);
                if (frameStart > passed) {
                    ctx.fireChannelRead(in.retainedSlice(passed, frameStart - passed));
                    passed = frameStart;
                }
                Http2Exception error = headers(id);
                if (error != null) {
                    failed = true;
                    in.release();
                    frames.onError(codec(ctx), false, error);
                    return;
                }
            }
        }
        if (passed < end) {
            ctx.fireChannelRead(in.readerIndex(passed));
        } else {
            in.release();
        }
    }

    /** A HEADERS frame opens stream {@code id}, above every id used so far: the ids in between are skipped. */
    private void opened(int id) {
        if (id > highestId + 2) {
            skipped(highestId == 0 ? 1 : highestId + 2, id - 2);
        }
        highestId = id;
    }

    /** The connection error a HEADERS frame on stream {@code id}, an id already used, is, or null when it may go on. */
    private Http2Exception headers(int id) {
        Http2Stream stream = frames.connection().stream(id);
        if (stream != null) {
            if (stream.isResetSent() || stream.state().remoteSideOpen()) {
                return null;
            }
            return connectionError(Http2Error.STREAM_CLOSED, "HEADERS on stream " + id + " after its END_STREAM");
        }
        if (wasSkipped(id)) {
            return connectionError(Http2Error.PROTOCOL_ERROR,
                    "HEADERS opening stream " + id + ", lower than stream " + highestId);
        }
        if (wasReset(id)) {
            return null;
        }
        return connectionError(Http2Error.STREAM_CLOSED, "HEADERS on closed stream " + id);
    }

    /**
     * A connection error whose GOAWAY names the last stream the codec opened: the frame was refused
     * before its header block was read, so that stream id is exact (Netty's own connection errors
     * name the highest id possible, as they may come from the middle of a header block).
     */
    private static Http2Exception connectionError(Http2Error error, String message) {
        return new Http2Exception(error, message, Http2Exception.ShutdownHint.NO_SHUTDOWN);
    }

    private ChannelHandlerContext codec(ChannelHandlerContext ctx) {
        if (codec == null) {
            codec = ctx.pipeline().context(frames);
        }
        return codec;
    }

    private void skipped(int from, int to) {
        skippedFrom[skippedNext] = from;
        skippedTo[skippedNext] = to;
        skippedNext = (skippedNext + 1) % REMEMBERED;
        skippedCount = Math.min(skippedCount + 1, REMEMBERED);
    }

    private boolean wasSkipped(int id) {
        for (int i = skippedCount - 1; i >= 0; i--) {
            if (id >= skippedFrom[i] && id <= skippedTo[i]) {
                return true;
            }
        }
        return false;
    }

    private void remember(int id) {
        if (reset == null) {
            reset = new int[REMEMBERED];
        }
        reset[resetNext] = id;
        resetNext = (resetNext + 1) % REMEMBERED;
        resetCount = Math.min(resetCount + 1, REMEMBERED);
    }

    private boolean wasReset(int id) {
        for (int i = resetCount - 1; i >= 0; i--) {
            if (reset[i] == id) {
                return true;
            }
        }
        return false;
    }
}
