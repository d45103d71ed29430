package io.luagate.plugin.http;

import static io.luagate.plugin.http.H2Wire.DATA;
import static io.luagate.plugin.http.H2Wire.HEADERS;
import static io.luagate.plugin.http.H2Wire.RST_STREAM;
import static io.luagate.plugin.http.H2Wire.WINDOW_UPDATE;
import static io.luagate.plugin.http.H2Wire.concat;
import static io.luagate.plugin.http.H2Wire.frame;
import static io.luagate.plugin.http.H2Wire.getRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.luagate.plugin.http.H2Wire.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The resets {@link Http2RequestCheck} sends, as bytes out of Netty's real frame codec. */
class Http2RequestCheckTest {

    /** Answers each request at once, writing without a flush, as a stream's channel does during the connection's read. */
    private static final class Origin extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2HeadersFrame headers && headers.isEndStream()) {
                ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")).stream(headers.stream()));
                ctx.write(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("ok", StandardCharsets.ISO_8859_1), true)
                        .stream(headers.stream()));
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // The stream errors the check answered.
        }
    }

    private EmbeddedChannel channel;

    @AfterEach
    void releaseAll() {
        channel.finishAndReleaseAll();
    }

    private List<Frame> received() {
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

    /** A request answered during the read, then a WINDOW_UPDATE of 0 on its stream in the same packet: what stream 1 gets. */
    private List<Frame> answeredThenReset() {
        Http2FrameCodec frames = Http2FrameCodecBuilder.forServer().build();
        channel = new EmbeddedChannel(frames, new Http2RequestCheck(frames), new Origin());
        channel.writeInbound(Unpooled.wrappedBuffer(H2Wire.preface()));
        received();
        channel.writeInbound(Unpooled.wrappedBuffer(concat(getRequest(1), frame(WINDOW_UPDATE, 0, 1, new byte[4]))));
        return received().stream().filter(f -> f.stream() == 1).toList();
    }

    /** The response's DATA, held until the read ends, goes before the reset, never after it. */
    @Test
    void nothingOfAStreamFollowsItsReset() {
        assertEquals(List.of(HEADERS, DATA, RST_STREAM), answeredThenReset().stream().map(Frame::type).toList());
    }

    @Test
    void theResetCarriesTheErrorsOwnCode() {
        Frame reset = H2Wire.first(answeredThenReset(), RST_STREAM);
        assertEquals(Http2Error.PROTOCOL_ERROR.code(), reset.errorCode());
    }
}
