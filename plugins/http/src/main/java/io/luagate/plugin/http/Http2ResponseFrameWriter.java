package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;

/**
 * Netty's frame writer, but for the frames every response makes: a HEADERS frame (and its
 * CONTINUATION frames, when the block is larger than a frame) is encoded into one buffer, its
 * frame header written in front of the HPACK block, and a small DATA frame is copied behind its
 * frame header into one buffer, each written with the caller's promise. Netty's writer makes two
 * buffers per frame (header and payload) joined by a promise aggregator, so a response cost four
 * outbound entries and two aggregators; it costs two entries here. Padded frames, larger DATA
 * frames and every other frame are Netty's. Confined to the connection's loop.
 */
final class Http2ResponseFrameWriter extends DefaultHttp2FrameWriter {

    private static final int FRAME_HEADER_LENGTH = 9;
    private static final int END_STREAM = 0x1;
    private static final int END_HEADERS = 0x4;
    /** DATA payloads up to this size are copied (cheaper than a second buffer and an aggregator). */
    static final int COPIED_DATA_LIMIT = 2048;
    /** What a response head usually takes as HPACK (the buffer grows when it takes more). */
    private static final int HEADER_BLOCK_GUESS = 128;

    private final Http2HeadersEncoder hpack;

    Http2ResponseFrameWriter(Http2HeadersEncoder hpack) {
        super(hpack);
        this.hpack = hpack;
    }

    @Override
    public ChannelFuture writeHeaders(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
            boolean endStream, ChannelPromise promise) {
        if (padding != 0 || streamId <= 0) {
            return super.writeHeaders(ctx, streamId, headers, padding, endStream, promise);
        }
        ByteBuf block = ctx.alloc().buffer(FRAME_HEADER_LENGTH + HEADER_BLOCK_GUESS);
        try {
            block.writerIndex(FRAME_HEADER_LENGTH);
            hpack.encodeHeaders(streamId, headers, block);
        } catch (Http2Exception e) {
            // As Netty's writer: the failed promise tells the encoder, which makes it the stream's error.
            block.release();
            return promise.setFailure(e);
        } catch (RuntimeException | Error e) {
            block.release();
            promise.setFailure(e);
            throw e;
        }
        int length = block.writerIndex() - FRAME_HEADER_LENGTH;
        int maxFrame = maxFrameSize();
        int endFlag = endStream ? END_STREAM : 0;
        if (length <= maxFrame) {
            block.setMedium(0, length);
            block.setByte(3, Http2FrameTypes.HEADERS);
            block.setByte(4, END_HEADERS | endFlag);
            block.setInt(5, streamId);
            return ctx.write(block, promise);
        }
        return ctx.write(split(ctx, streamId, block, length, maxFrame, endFlag), promise);
    }

    /** A block larger than a frame: a HEADERS frame, then CONTINUATION frames, the last with END_HEADERS. */
    private static ByteBuf split(ChannelHandlerContext ctx, int streamId, ByteBuf block, int length, int maxFrame,
            int endFlag) {
        try {
            int frames = (length + maxFrame - 1) / maxFrame;
            ByteBuf out = ctx.alloc().buffer(length + frames * FRAME_HEADER_LENGTH);
            int offset = FRAME_HEADER_LENGTH;
            int end = block.writerIndex();
            boolean first = true;
            while (offset < end) {
                int n = Math.min(maxFrame, end - offset);
                boolean last = offset + n == end;
                out.writeMedium(n);
                out.writeByte(first ? Http2FrameTypes.HEADERS : Http2FrameTypes.CONTINUATION);
                out.writeByte((last ? END_HEADERS : 0) | (first ? endFlag : 0));
                out.writeInt(streamId);
                out.writeBytes(block, offset, n);
                offset += n;
                first = false;
            }
            return out;
        } finally {
            block.release();
        }
    }

    @Override
    public ChannelFuture writeData(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
            boolean endStream, ChannelPromise promise) {
        int length = data.readableBytes();
        if (padding != 0 || streamId <= 0 || length > COPIED_DATA_LIMIT || length > maxFrameSize()) {
            return super.writeData(ctx, streamId, data, padding, endStream, promise);
        }
        ByteBuf frame = null;
        try {
            frame = ctx.alloc().buffer(FRAME_HEADER_LENGTH + length);
            frame.writeMedium(length);
            frame.writeByte(Http2FrameTypes.DATA);
            frame.writeByte(endStream ? END_STREAM : 0);
            frame.writeInt(streamId);
            frame.writeBytes(data, data.readerIndex(), length);
        } catch (RuntimeException | Error e) {
            if (frame != null) {
                frame.release();
            }
            promise.setFailure(e);
            throw e;
        } finally {
            // The writer owns the payload, as Netty's does.
            data.release();
        }
        return ctx.write(frame, promise);
    }
}
