package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The input buffer in front of the request decoder, on an embedded channel: input that arrives in
 * one piece with the client's FIN behind it (as the epoll transport reads it) is decoded a slice at
 * a time, as asked, and the FIN comes after the last request.
 */
class ClientInputTest {

    /** Answers each request at once and asks for more input at the end of each batch. */
    private static final class Reader extends ChannelInboundHandlerAdapter {
        final List<String> seen = new ArrayList<>();
        int inBatch;
        int largestBatch;
        boolean asking = true;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            inBatch++;
            if (msg instanceof HttpRequest request) {
                seen.add(request.uri());
                DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(response);
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            largestBatch = Math.max(largestBatch, inBatch);
            inBatch = 0;
            if (asking) {
                ctx.read();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                seen.add("FIN");
            }
        }
    }

    @Test
    void pipelinedRequestsAndAFinInOneReadAreDecodedASliceAtATimeThenTheFin() throws Exception {
        Reader reader = new Reader();
        EmbeddedChannel channel = new EmbeddedChannel(false, false, new ClientInput(), new ClientCodec(16 * 1024, 16 * 1024, 16 * 1024), reader);
        channel.config().setAutoRead(false);
        channel.register();
        StringBuilder all = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            all.append("GET /r").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
            expected.add("/r" + i);
        }
        expected.add("FIN");
        ByteBuf bytes = Unpooled.copiedBuffer(all, StandardCharsets.ISO_8859_1);
        channel.writeInbound(bytes);
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        for (int turns = 0; turns < 1_000 && reader.seen.size() < expected.size(); turns++) {
            channel.runPendingTasks();
        }
        assertEquals(expected, reader.seen);
        assertTrue(reader.largestBatch <= 2 * (ClientInput.SLICE / 14 + 1), "messages per batch: " + reader.largestBatch);
        releaseOutbound(channel);
        assertFalse(channel.finish());
    }

    @Test
    void nothingIsDecodedUntilItIsAskedFor() throws Exception {
        Reader reader = new Reader();
        reader.asking = false;
        EmbeddedChannel channel = new EmbeddedChannel(false, false, new ClientInput(), new ClientCodec(16 * 1024, 16 * 1024, 16 * 1024), reader);
        channel.config().setAutoRead(false);
        channel.register();
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            all.append("GET /r").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
        }
        channel.writeInbound(Unpooled.copiedBuffer(all, StandardCharsets.ISO_8859_1));
        channel.runPendingTasks();
        int first = reader.seen.size();
        assertTrue(first > 0 && first <= ClientInput.SLICE / 14 + 1, "one slice's requests: " + first);
        channel.read();
        channel.runPendingTasks();
        assertTrue(reader.seen.size() > first, "one more slice when asked");
        channel.close();
        releaseOutbound(channel);
        channel.finish();
    }

    /**
     * The bytes that crossed the socket are counted where they cross it: every byte read, in the
     * read that brought it (not as the decoder is given it), and every byte written.
     */
    @Test
    void countsTheBytesReadAndWrittenAtTheSocket() throws Exception {
        Reader reader = new Reader();
        reader.asking = false;
        ClientInput input = new ClientInput();
        EmbeddedChannel channel = new EmbeddedChannel(false, false, input, new ClientCodec(16 * 1024, 16 * 1024, 16 * 1024), reader);
        channel.config().setAutoRead(false);
        channel.register();
        String request = "GET /a HTTP/1.1\r\nHost: a\r\n\r\n";
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            all.append(request);
        }
        channel.writeInbound(Unpooled.copiedBuffer(all, StandardCharsets.ISO_8859_1));
        channel.runPendingTasks();
        WireCounter wire = input.wire();
        assertEquals(100L * request.length(), wire.bytesIn, "all of the read, though one slice was decoded");
        assertTrue(wire.readSinceIdle);
        assertTrue(reader.seen.size() < 100, "decoded: " + reader.seen.size());
        long written = 0;
        Object out;
        while ((out = channel.readOutbound()) != null) {
            written += ((ByteBuf) out).readableBytes();
            ReferenceCountUtil.release(out);
        }
        assertTrue(written > 0);
        assertEquals(written, wire.bytesOut);
        // A closing connection drops what the client still sends, and still counts it.
        input.discard();
        channel.writeInbound(Unpooled.copiedBuffer("more", StandardCharsets.ISO_8859_1));
        assertEquals(100L * request.length() + 4, wire.bytesIn);
        channel.close();
        releaseOutbound(channel);
        channel.finish();
    }

    private static void releaseOutbound(EmbeddedChannel channel) {
        Object out;
        while ((out = channel.readOutbound()) != null) {
            ReferenceCountUtil.release(out);
        }
    }
}
