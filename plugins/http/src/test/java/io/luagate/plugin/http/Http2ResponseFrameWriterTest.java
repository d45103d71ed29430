package io.luagate.plugin.http;

import static io.luagate.plugin.http.H2Wire.CONTINUATION;
import static io.luagate.plugin.http.H2Wire.DATA;
import static io.luagate.plugin.http.H2Wire.END_HEADERS;
import static io.luagate.plugin.http.H2Wire.END_STREAM;
import static io.luagate.plugin.http.H2Wire.HEADERS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.plugin.http.H2Wire.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Http2ResponseFrameWriter}: the frames it writes, a flush's worth in one buffer, read back as
 * bytes (frame headers, flags, HPACK blocks decoded by Netty's decoder, in order), and their promises.
 */
class Http2ResponseFrameWriterTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final Http2ResponseFrameWriter writer = new Http2ResponseFrameWriter(new DefaultHttp2HeadersEncoder());
    private final DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(true, Long.MAX_VALUE);

    @AfterEach
    void releaseAll() {
        channel.finishAndReleaseAll();
    }

    private ChannelHandlerContext ctx() {
        return channel.pipeline().firstContext();
    }

    /** The buffers written since the last call, one byte array each, the batch handed over first. */
    private List<byte[]> written() {
        writer.writeBatch(ctx());
        channel.flushOutbound();
        List<byte[]> buffers = new ArrayList<>();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            buf.release();
            buffers.add(bytes);
        }
        return buffers;
    }

    private static byte[] concat(List<byte[]> buffers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        buffers.forEach(b -> out.write(b, 0, b.length));
        return out.toByteArray();
    }

    private Http2Headers decode(List<Frame> frames) throws Exception {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        frames.forEach(f -> block.write(f.payload(), 0, f.payload().length));
        return hpack.decodeHeaders(1, Unpooled.wrappedBuffer(block.toByteArray()));
    }

    @Test
    void aResponseHeadIsOneHeadersFrameInOneBuffer() throws Exception {
        Http2Headers head = new DefaultHttp2Headers().status("200").add("content-type", "text/plain").add("content-length", "2");
        writer.writeHeaders(ctx(), 3, head, 0, false, channel.newPromise());
        List<byte[]> buffers = written();
        assertEquals(1, buffers.size());
        List<Frame> frames = H2Wire.frames(buffers.get(0));
        assertEquals(1, frames.size());
        assertEquals(HEADERS, frames.get(0).type());
        assertEquals(END_HEADERS, frames.get(0).flags());
        assertEquals(3, frames.get(0).stream());
        assertEquals(head, decode(frames));
    }

    @Test
    void aHeadLargerThanAFrameGoesOnInContinuationFramesAndEndsTheStreamOnce() throws Exception {
        char[] big = new char[40_000];
        Arrays.fill(big, 'x');
        Http2Headers head = new DefaultHttp2Headers().status("204").add("x-big", new String(big));
        writer.writeHeaders(ctx(), 5, head, 0, true, channel.newPromise());
        List<Frame> frames = H2Wire.frames(concat(written()));
        assertEquals(List.of(HEADERS, CONTINUATION, CONTINUATION), frames.stream().map(Frame::type).toList());
        assertEquals(END_STREAM, frames.get(0).flags(), "END_STREAM on HEADERS only, END_HEADERS on the last");
        assertEquals(0, frames.get(1).flags());
        assertEquals(END_HEADERS, frames.get(2).flags());
        assertTrue(frames.stream().allMatch(f -> f.stream() == 5 && f.payload().length <= 16_384));
        assertEquals(head, decode(frames));
    }

    @Test
    void smallDataIsCopiedBehindItsFrameHeaderAndLargeDataIsNettys() {
        ByteBuf small = Unpooled.copiedBuffer(new byte[] {'o', 'k'});
        writer.writeData(ctx(), 7, small, 0, true, channel.newPromise());
        List<byte[]> buffers = written();
        assertEquals(1, buffers.size());
        Frame frame = H2Wire.frames(buffers.get(0)).get(0);
        assertEquals(DATA, frame.type());
        assertEquals(END_STREAM, frame.flags());
        assertEquals(7, frame.stream());
        assertArrayEquals(new byte[] {'o', 'k'}, frame.payload());
        assertEquals(0, small.refCnt(), "the writer owns the payload");

        byte[] payload = new byte[Http2ResponseFrameWriter.COPIED_DATA_LIMIT + 1];
        Arrays.fill(payload, (byte) 'y');
        writer.writeData(ctx(), 7, Unpooled.wrappedBuffer(payload), 0, false, channel.newPromise());
        List<Frame> frames = H2Wire.frames(concat(written()));
        assertEquals(1, frames.size());
        assertEquals(0, frames.get(0).flags());
        assertArrayEquals(payload, frames.get(0).payload());
    }

    @Test
    void theHeadsAndSmallBodiesOfSeveralStreamsLeaveAsOneBufferInOrder() throws Exception {
        Http2Headers head1 = new DefaultHttp2Headers().status("200").add("content-length", "2");
        Http2Headers head3 = new DefaultHttp2Headers().status("404").add("content-length", "3");
        ChannelPromise data1 = channel.newPromise();
        ChannelPromise data3 = channel.newPromise();
        writer.writeHeaders(ctx(), 1, head1, 0, false, channel.voidPromise());
        writer.writeHeaders(ctx(), 3, head3, 0, false, channel.voidPromise());
        writer.writeData(ctx(), 1, Unpooled.copiedBuffer(new byte[] {'o', 'k'}), 0, true, data1);
        writer.writeData(ctx(), 3, Unpooled.copiedBuffer(new byte[] {'n', 'o', '!'}), 0, true, data3);
        channel.flushOutbound();
        assertNull(channel.readOutbound(), "nothing leaves before the batch is handed over");
        assertFalse(data1.isDone());

        List<byte[]> buffers = written();
        assertEquals(1, buffers.size(), "four frames, one write");
        List<Frame> frames = H2Wire.frames(buffers.get(0));
        assertEquals(List.of(HEADERS, HEADERS, DATA, DATA), frames.stream().map(Frame::type).toList());
        assertEquals(List.of(1, 3, 1, 3), frames.stream().map(Frame::stream).toList());
        assertEquals(head1, hpack.decodeHeaders(1, Unpooled.wrappedBuffer(frames.get(0).payload())));
        assertEquals(head3, hpack.decodeHeaders(3, Unpooled.wrappedBuffer(frames.get(1).payload())));
        assertArrayEquals(new byte[] {'n', 'o', '!'}, frames.get(3).payload());
        assertEquals(END_STREAM, frames.get(3).flags());
        assertTrue(data1.isSuccess() && data3.isSuccess(), "each frame's promise completes with the batch");
    }

    @Test
    void anyOtherFrameLeavesBehindTheBatchNeverAheadOfIt() {
        ChannelPromise data = channel.newPromise();
        writer.writeHeaders(ctx(), 1, new DefaultHttp2Headers().status("200"), 0, false, channel.voidPromise());
        writer.writeData(ctx(), 1, Unpooled.copiedBuffer(new byte[] {'a'}), 0, false, data);
        writer.writeRstStream(ctx(), 1, 8, channel.newPromise());
        writer.writePing(ctx(), true, 42, channel.newPromise());
        writer.writeHeaders(ctx(), 3, new DefaultHttp2Headers().status("204"), 0, true, channel.voidPromise());
        List<Frame> frames = H2Wire.frames(concat(written()));
        assertEquals(List.of(HEADERS, DATA, H2Wire.RST_STREAM, H2Wire.PING, HEADERS),
                frames.stream().map(Frame::type).toList());
        assertEquals(List.of(1, 1, 1, 0, 3), frames.stream().map(Frame::stream).toList());
        assertTrue(data.isSuccess());
    }

    @Test
    void aBatchFullerThanItsCapacityLeavesBeforeTheNextFrame() {
        byte[] payload = new byte[Http2ResponseFrameWriter.COPIED_DATA_LIMIT];
        Arrays.fill(payload, (byte) 'z');
        int frames = 0;
        for (int id = 1; frames * (payload.length + 9) <= Http2ResponseFrameWriter.BATCH_CAPACITY; id += 2, frames++) {
            writer.writeData(ctx(), id, Unpooled.wrappedBuffer(payload), 0, true, channel.voidPromise());
        }
        List<byte[]> buffers = written();
        assertTrue(buffers.size() > 1, "written in more than one buffer");
        assertTrue(buffers.stream().allMatch(b -> b.length <= Http2ResponseFrameWriter.BATCH_CAPACITY));
        List<Frame> all = H2Wire.frames(concat(buffers));
        assertEquals(frames, all.size());
        assertTrue(all.stream().allMatch(f -> Arrays.equals(payload, f.payload())));
    }

    @Test
    void aClosedConnectionReleasesTheBatchAndFailsItsPromises() {
        ChannelPromise data = channel.newPromise();
        ByteBuf body = Unpooled.copiedBuffer(new byte[] {'x'});
        writer.writeData(ctx(), 1, body, 0, true, data);
        writer.close();
        assertTrue(data.isDone() && !data.isSuccess(), "the promise failed");
        assertEquals(0, body.refCnt());
        assertTrue(written().isEmpty(), "nothing left to write");
    }

    @Test
    void theStreamsABatchEndsWaitOnTheBatchsOwnPromise() {
        ChannelPromise end1 = writer.endPromise(ctx(), 2);
        List<String> done = new ArrayList<>();
        end1.addListener(f -> done.add("1 " + f.isSuccess()));
        writer.writeData(ctx(), 1, Unpooled.copiedBuffer(new byte[] {'o', 'k'}), 0, true, end1);
        ChannelPromise end3 = writer.endPromise(ctx(), 3);
        end3.addListener(f -> done.add("3 " + f.isSuccess()));
        writer.writeData(ctx(), 3, Unpooled.copiedBuffer(new byte[] {'n', 'o', '!'}), 0, true, end3);
        assertSame(end1, end3, "one promise for the batch");
        assertTrue(writer.isBatchPromise(end1));
        ChannelPromise caller = channel.newPromise();
        writer.writeData(ctx(), 5, Unpooled.copiedBuffer(new byte[] {'c'}), 0, false, caller);
        channel.flushOutbound();
        assertNull(channel.readOutbound(), "nothing leaves before the batch is handed over");
        assertFalse(end1.isDone());

        List<byte[]> buffers = written();
        assertEquals(1, buffers.size());
        List<Frame> frames = H2Wire.frames(buffers.get(0));
        assertEquals(List.of(1, 3, 5), frames.stream().map(Frame::stream).toList());
        assertEquals(List.of(END_STREAM, END_STREAM, 0), frames.stream().map(Frame::flags).toList());
        assertEquals(List.of("1 true", "3 true"), done, "the streams hear of the batch's write, in order");
        assertTrue(caller.isSuccess(), "a caller's own promise still completes with the batch");
        assertFalse(writer.isBatchPromise(end1), "the next batch has a promise of its own");
    }

    @Test
    void aLastDataFrameThatDoesNotGoIntoTheBatchHasAPromiseOfItsOwn() {
        ChannelPromise batched = writer.endPromise(ctx(), 1);
        writer.writeData(ctx(), 1, Unpooled.copiedBuffer(new byte[] {'a'}), 0, true, batched);
        int large = Http2ResponseFrameWriter.COPIED_DATA_LIMIT + 1;
        ChannelPromise own = writer.endPromise(ctx(), large);
        assertFalse(writer.isBatchPromise(own));
        assertNotSame(batched, own);
        writer.writeData(ctx(), 3, Unpooled.wrappedBuffer(new byte[large]), 0, true, own);
        List<Frame> frames = H2Wire.frames(concat(written()));
        assertEquals(List.of(1, 3), frames.stream().map(Frame::stream).toList(), "the batch leaves first");
        assertTrue(batched.isSuccess() && own.isSuccess());
    }

    @Test
    void aBatchFullForTheNextLastFrameLeavesWithThePromiseItHad() {
        byte[] payload = new byte[Http2ResponseFrameWriter.COPIED_DATA_LIMIT];
        ChannelPromise first = writer.endPromise(ctx(), payload.length);
        writer.writeData(ctx(), 1, Unpooled.wrappedBuffer(payload), 0, true, first);
        ChannelPromise second = writer.endPromise(ctx(), payload.length);
        writer.writeData(ctx(), 3, Unpooled.wrappedBuffer(payload), 0, true, second);
        // Two such frames do not fit in one batch: the first left with its promise before the second was made.
        assertNotSame(first, second);
        assertFalse(first.isDone(), "handed to the pipeline, not yet flushed");
        ChannelPromise third = writer.endPromise(ctx(), payload.length);
        assertNotSame(second, third);
        writer.writeData(ctx(), 5, Unpooled.wrappedBuffer(payload), 0, true, third);
        List<byte[]> buffers = written();
        assertEquals(3, buffers.size(), "one buffer per frame, each with its own promise");
        assertTrue(first.isSuccess() && second.isSuccess() && third.isSuccess());
        List<Frame> frames = H2Wire.frames(concat(buffers));
        assertEquals(List.of(1, 3, 5), frames.stream().map(Frame::stream).toList());
    }

    @Test
    void aClosedConnectionFailsTheBatchsOwnPromise() {
        ChannelPromise end = writer.endPromise(ctx(), 1);
        writer.writeData(ctx(), 1, Unpooled.copiedBuffer(new byte[] {'x'}), 0, true, end);
        writer.close();
        assertTrue(end.isDone() && !end.isSuccess(), "the streams it ends hear of the failure");
        assertTrue(written().isEmpty());
        ChannelPromise after = writer.endPromise(ctx(), 1);
        assertFalse(writer.isBatchPromise(after), "after the close a frame is written at once, with its own promise");
    }

    @Test
    void aLastFrameThatCannotBeCopiedLeavesTheBatchsPromiseToTheOtherFrames() {
        ChannelPromise end = writer.endPromise(ctx(), 2);
        writer.writeData(ctx(), 1, Unpooled.copiedBuffer(new byte[] {'o', 'k'}), 0, true, end);
        ChannelPromise same = writer.endPromise(ctx(), 2);
        assertSame(end, same);
        ByteBuf refused = new CopyRefusingBuf(new byte[] {'n', 'o'});
        assertThrows(IllegalStateException.class, () -> writer.writeData(ctx(), 3, refused, 0, true, same),
                "the caller hears of it by the throw");
        assertEquals(0, refused.refCnt(), "the writer still owns the payload");
        assertFalse(end.isDone(), "the batch's promise is not failed: stream 1's frame is still to leave with it");
        assertTrue(writer.isBatchPromise(end));
        ChannelPromise next = writer.endPromise(ctx(), 1);
        assertSame(end, next, "the batch goes on with its promise");
        writer.writeData(ctx(), 5, Unpooled.copiedBuffer(new byte[] {'!'}), 0, true, next);

        List<Frame> frames = H2Wire.frames(concat(written()));
        assertEquals(List.of(1, 5), frames.stream().map(Frame::stream).toList(), "no half frame of stream 3");
        assertEquals(List.of(END_STREAM, END_STREAM), frames.stream().map(Frame::flags).toList());
        assertTrue(end.isSuccess());
    }
}
