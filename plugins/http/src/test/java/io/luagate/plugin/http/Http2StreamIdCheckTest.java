package io.luagate.plugin.http;

import static io.luagate.plugin.http.H2Wire.CONTINUATION;
import static io.luagate.plugin.http.H2Wire.DATA;
import static io.luagate.plugin.http.H2Wire.END_HEADERS;
import static io.luagate.plugin.http.H2Wire.END_STREAM;
import static io.luagate.plugin.http.H2Wire.GOAWAY;
import static io.luagate.plugin.http.H2Wire.HEADERS;
import static io.luagate.plugin.http.H2Wire.RST_STREAM;
import static io.luagate.plugin.http.H2Wire.block;
import static io.luagate.plugin.http.H2Wire.concat;
import static io.luagate.plugin.http.H2Wire.first;
import static io.luagate.plugin.http.H2Wire.frame;
import static io.luagate.plugin.http.H2Wire.get;
import static io.luagate.plugin.http.H2Wire.getRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.plugin.http.H2Wire.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HEADERS frames on stream ids already used, as bytes into Netty's real frame codec behind
 * {@link Http2StreamIdCheck}, and the server's frames read back: RFC 9113 section 5.1's answers.
 */
class Http2StreamIdCheckTest {

    /** Answers each request that ended with a 200 that ends the stream, when {@code answer}. */
    private static final class Origin extends ChannelInboundHandlerAdapter {
        private final boolean answer;

        Origin(boolean answer) {
            this.answer = answer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (answer && msg instanceof Http2HeadersFrame headers && headers.isEndStream()) {
                ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200"), true)
                        .stream(headers.stream()));
            }
            ReferenceCountUtil.release(msg);
        }

        /** The codec tells the pipeline of the connection errors it answers, as luagate's ConnectionEnd hears. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof Http2Exception)) {
                ctx.fireExceptionCaught(cause);
            }
        }
    }

    private EmbeddedChannel channel;

    @AfterEach
    void releaseAll() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private EmbeddedChannel connection(boolean answer) {
        Http2FrameCodec frames = Http2FrameCodecBuilder.forServer().build();
        channel = new EmbeddedChannel(new Http2StreamIdCheck(frames), frames, new Origin(answer));
        channel.writeInbound(Unpooled.wrappedBuffer(H2Wire.preface()));
        received(channel);
        return channel;
    }

    /** Everything the server wrote since the last call. */
    private static List<Frame> received(EmbeddedChannel channel) {
        channel.runPendingTasks();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            out.write(bytes, 0, bytes.length);
            buf.release();
        }
        return H2Wire.frames(out.toByteArray());
    }

    private static List<Frame> send(EmbeddedChannel channel, byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        return received(channel);
    }

    private static void assertConnectionError(List<Frame> frames, EmbeddedChannel channel, Http2Error code, int lastStream) {
        Frame goaway = first(frames, GOAWAY);
        assertNotNull(goaway, frames.toString());
        assertEquals(code.code(), goaway.errorCode());
        assertEquals(lastStream, goaway.lastStream());
        assertFalse(channel.isOpen());
    }

    @Test
    void headersOnAStreamWhoseRequestEndedEndTheConnectionWithStreamClosed() {
        // Half-closed (remote): the request ended, its response is not written yet.
        EmbeddedChannel channel = connection(false);
        assertConnectionError(send(channel, concat(getRequest(1), getRequest(1))), channel, Http2Error.STREAM_CLOSED, 1);
    }

    @Test
    void headersOnAClosedStreamEndTheConnectionWithStreamClosed() {
        EmbeddedChannel channel = connection(true);
        List<Frame> answered = send(channel, getRequest(1));
        assertEquals(HEADERS, answered.get(0).type());
        assertTrue(channel.isOpen());
        assertConnectionError(send(channel, getRequest(1)), channel, Http2Error.STREAM_CLOSED, 1);
    }

    @Test
    void aStreamIdLowerThanOneOpenedIsAProtocolError() {
        EmbeddedChannel channel = connection(true);
        List<Frame> frames = send(channel, concat(getRequest(5), getRequest(3)));
        assertEquals(HEADERS, frames.get(0).type());
        assertEquals(5, frames.get(0).stream());
        assertConnectionError(frames, channel, Http2Error.PROTOCOL_ERROR, 5);
    }

    @Test
    void framesCutAnywhereAreReadAlike() {
        EmbeddedChannel channel = connection(false);
        byte[] bytes = concat(getRequest(5), getRequest(3));
        for (int i = 0; i < bytes.length && channel.isOpen(); i++) {
            byte b = bytes[i];
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertConnectionError(received(channel), channel, Http2Error.PROTOCOL_ERROR, 5);
    }

    @Test
    void trailersAndNewStreamsGoOn() {
        EmbeddedChannel channel = connection(true);
        byte[] request = concat(frame(HEADERS, END_HEADERS, 1, get("/")), frame(DATA, 0, 1, new byte[] {'x'}),
                frame(HEADERS, END_HEADERS | END_STREAM, 1, block("x-trailer", "1")), getRequest(3), getRequest(7));
        List<Frame> frames = send(channel, request);
        assertNull(first(frames, GOAWAY), frames.toString());
        assertEquals(List.of(1, 3, 7), frames.stream().filter(f -> f.type() == HEADERS).map(Frame::stream).toList());
        assertTrue(channel.isOpen());
        // 5, skipped by 7, cannot be opened any more.
        assertConnectionError(send(channel, getRequest(5)), channel, Http2Error.PROTOCOL_ERROR, 7);
    }

    @Test
    void headersOnAStreamTheClientResetAreAStreamError() {
        EmbeddedChannel channel = connection(true);
        byte[] header = get("/");
        byte[] request = concat(frame(HEADERS, 0, 1, Arrays.copyOf(header, 10)),
                frame(CONTINUATION, END_HEADERS, 1, Arrays.copyOfRange(header, 10, header.length)),
                frame(RST_STREAM, 0, 1, new byte[] {0, 0, 0, 8}), getRequest(1));
        List<Frame> frames = send(channel, request);
        Frame reset = first(frames, RST_STREAM);
        assertNotNull(reset, frames.toString());
        assertEquals(1, reset.stream());
        assertEquals(Http2Error.STREAM_CLOSED.code(), reset.errorCode());
        assertNull(first(frames, GOAWAY));
        assertTrue(channel.isOpen());
        assertEquals(HEADERS, send(channel, getRequest(3)).get(0).type());
    }
}
