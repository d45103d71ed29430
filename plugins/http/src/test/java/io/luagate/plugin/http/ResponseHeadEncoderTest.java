package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The bytes {@link ClientCodec}'s response encoder writes, case by case, each against the bytes
 * written for the same messages by Netty's {@code HttpResponseEncoder} with the overrides luagate
 * had on it ({@link NettyWithLuagateOverrides}), and against the bytes spelled out.
 */
class ResponseHeadEncoderTest {

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    /** Netty's encoder as {@code ClientCodec} extended it before this encoder, the method given. */
    private static final class NettyWithLuagateOverrides extends HttpResponseEncoder {
        private final HttpMethod method;

        NettyWithLuagateOverrides(HttpMethod method) {
            this.method = method;
        }

        @Override
        protected void encodeInitialLine(ByteBuf buf, HttpResponse response) throws Exception {
            if (response.status() instanceof VerbatimStatus status) {
                buf.writeCharSequence(response.protocolVersion().text(), StandardCharsets.US_ASCII);
                buf.writeByte(' ');
                buf.writeCharSequence(status.digits(), StandardCharsets.US_ASCII);
                buf.writeByte(' ');
                buf.writeCharSequence(status.reasonPhrase(), StandardCharsets.ISO_8859_1);
                buf.writeByte('\r').writeByte('\n');
            } else {
                super.encodeInitialLine(buf, response);
            }
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
        }

        @Override
        protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
            if (!isAlwaysEmpty && HttpMethod.CONNECT.equals(method) && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
                msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                return;
            }
            super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
        }
    }

    /** A client codec that has read one request of {@code method}. */
    private static EmbeddedChannel client(HttpMethod method, ChannelOutboundHandlerAdapter socketSide) {
        EmbeddedChannel channel = socketSide == null ? new EmbeddedChannel(new ClientCodec(8192, 8192, 8192))
                : new EmbeddedChannel(socketSide, new ClientCodec(8192, 8192, 8192));
        channel.config().setAutoRead(false);
        String target = method == HttpMethod.CONNECT ? "example.com:443" : "/";
        channel.writeInbound(bytes(method.name() + " " + target + " HTTP/1.1\r\nHost: example.com\r\n\r\n"));
        Object in;
        while ((in = channel.readInbound()) != null) {
            ReferenceCountUtil.release(in);
        }
        return channel;
    }

    private static List<String> parts(EmbeddedChannel channel) {
        List<String> parts = new ArrayList<>();
        Object out;
        while ((out = channel.readOutbound()) != null) {
            ByteBuf buf = (ByteBuf) out;
            if (buf.isReadable()) {
                parts.add(buf.toString(StandardCharsets.ISO_8859_1));
            }
            buf.release();
        }
        return parts;
    }

    private static String wire(EmbeddedChannel channel) {
        return String.join("", parts(channel));
    }

    private static void writeAll(EmbeddedChannel channel, List<Object> messages) {
        for (Object msg : messages) {
            channel.write(msg);
        }
        channel.flush();
    }

    /** The bytes of {@code messages} after a request of {@code method}, the same from both encoders. */
    private static String encoded(HttpMethod method, Supplier<List<Object>> messages) {
        EmbeddedChannel ours = client(method, null);
        writeAll(ours, messages.get());
        String wire = wire(ours);
        assertFalse(ours.finishAndReleaseAll());
        EmbeddedChannel netty = new EmbeddedChannel(new NettyWithLuagateOverrides(method));
        writeAll(netty, messages.get());
        assertEquals(wire(netty), wire, "the bytes Netty's encoder wrote");
        assertFalse(netty.finishAndReleaseAll());
        return wire;
    }

    private static HttpResponse head(HttpResponseStatus status, String... lines) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, ParsedHttpHeaders.create());
        for (int i = 0; i < lines.length; i += 2) {
            head.headers().add(lines[i], lines[i + 1]);
        }
        return head;
    }

    private static DefaultFullHttpResponse full(HttpResponseStatus status, String body, String... lines) {
        HttpResponse head = head(status, lines);
        return new DefaultFullHttpResponse(head.protocolVersion(), head.status(), bytes(body), head.headers(),
                ParsedHttpHeaders.create());
    }

    private static LastHttpContent last(String piece, String... trailers) {
        LastHttpContent last = new DefaultLastHttpContent(bytes(piece));
        for (int i = 0; i < trailers.length; i += 2) {
            last.trailingHeaders().add(trailers[i], trailers[i + 1]);
        }
        return last;
    }

    @Test
    void headerNamesAndValuesGoAsTheyAreInTheirOrder() {
        assertEquals("HTTP/1.1 200 OK\r\nServer: nginx\r\ncontent-LENGTH: 2\r\nX-Dup: 1\r\nx-dup: 2\r\nX-Empty: \r\n"
                + "X-Latin: caf\u00e9 \u00ff\r\nX-Wide: a?b\r\nDate: x\r\n\r\nok",
                encoded(HttpMethod.GET, () -> {
                    HttpResponse head = head(HttpResponseStatus.OK, "Server", "nginx", "content-LENGTH", "2", "X-Dup", "1",
                            "x-dup", "2", "X-Empty", "", "X-Latin", "caf\u00e9 \u00ff", "X-Wide", "a\u20acb");
                    head.headers().add(new AsciiString("Date"), new AsciiString("x"));
                    return List.of(head, last("ok"));
                }));
    }

    @Test
    void aStatusKeepsTheServersDigitsAndAnyReasonPhrase() {
        assertEquals("HTTP/1.1 0200 Fine\r\ncontent-length: 0\r\n\r\n", encoded(HttpMethod.GET, () -> List.of(
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, new VerbatimStatus(200, "0200", "Fine"), Unpooled.EMPTY_BUFFER,
                        head(HttpResponseStatus.OK, "content-length", "0").headers(), ParsedHttpHeaders.create()))));
        assertEquals("HTTP/1.0 599 \r\n\r\n", encoded(HttpMethod.GET, () -> List.of(
                new DefaultHttpResponse(HttpVersion.HTTP_1_0, HttpResponseStatus.valueOf(599, "")), LastHttpContent.EMPTY_LAST_CONTENT)));
        assertEquals("HTTP/1.1 200 Tr\u00e8s bien\r\n\r\nbody", encoded(HttpMethod.GET, () -> List.of(
                new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(200, "Tr\u00e8s bien")), last("body"))));
        assertEquals("HTTP/1.1 42 Odd\r\n\r\n", encoded(HttpMethod.GET, () -> List.of(
                new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(42, "Odd")), LastHttpContent.EMPTY_LAST_CONTENT)));
    }

    @Test
    void aResponseToHeadHasNoBody() {
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
                encoded(HttpMethod.HEAD, () -> List.of(full(HttpResponseStatus.OK, "hello", "Content-Length", "5"))));
        assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", encoded(HttpMethod.HEAD, () -> List.of(
                head(HttpResponseStatus.OK, "Transfer-Encoding", "chunked"), new DefaultHttpContent(bytes("piece")), last("x", "t", "1"))));
    }

    @Test
    void statusesWithoutABodyLoseTheirFramingLinesAsNettysDid() {
        assertEquals("HTTP/1.1 204 No Content\r\nX-A: b\r\n\r\n", encoded(HttpMethod.GET, () -> List.of(
                full(HttpResponseStatus.NO_CONTENT, "dropped", "Content-Length", "7", "X-A", "b", "Transfer-Encoding", "chunked"))));
        assertEquals("HTTP/1.1 205 Reset Content\r\ncontent-length: 0\r\n\r\n", encoded(HttpMethod.GET, () -> List.of(
                full(HttpResponseStatus.RESET_CONTENT, "", "Transfer-Encoding", "chunked"))));
        assertEquals("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\nETag: \"e\"\r\n\r\n", encoded(HttpMethod.GET, () -> List.of(
                head(HttpResponseStatus.NOT_MODIFIED, "Content-Length", "10", "ETag", "\"e\""), last("0123456789"))));
        assertEquals("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n", encoded(HttpMethod.GET, () -> List.of(
                full(HttpResponseStatus.valueOf(103, "Early Hints"), "", "Link", "</a>", "Content-Length", "0"))));
    }

    @Test
    void a101HasABodyOnlyWithoutSecWebSocketVersion() {
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\r\n",
                encoded(HttpMethod.GET, () -> List.of(head(HttpResponseStatus.SWITCHING_PROTOCOLS, "Upgrade", "websocket",
                        "Sec-WebSocket-Version", "13"), last("dropped"))));
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: WebSocket\r\n\r\n8 bytes!",
                encoded(HttpMethod.GET, () -> List.of(head(HttpResponseStatus.SWITCHING_PROTOCOLS, "Upgrade", "WebSocket"),
                        last("8 bytes!"))));
    }

    @Test
    void aTunnelsSuccessLosesTransferEncodingAndKeepsItsFraming() {
        assertEquals("HTTP/1.1 200 Connection established\r\n\r\n3\r\nabc\r\n0\r\n\r\n", encoded(HttpMethod.CONNECT, () -> List.of(
                head(HttpResponseStatus.valueOf(200, "Connection established"), "Transfer-Encoding", "chunked"), last("abc"))));
        assertEquals("HTTP/1.1 407 Proxy Authentication Required\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nno\r\n0\r\n\r\n",
                encoded(HttpMethod.CONNECT, () -> List.of(head(HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED,
                        "Transfer-Encoding", "chunked"), last("no"))));
    }

    @Test
    void chunkedBodiesAreFramedAndEndWithTheirTrailers() {
        String big = "x".repeat(300);
        assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, CHUNKED \r\n\r\n5\r\nhello\r\n12c\r\n" + big + "\r\n"
                + "1\r\n!\r\n0\r\nChecksum: abc\r\nX-T: \u00e9\r\n\r\n",
                encoded(HttpMethod.GET, () -> List.of(head(HttpResponseStatus.OK, "Transfer-Encoding", "gzip, CHUNKED "),
                        new DefaultHttpContent(bytes("hello")), new DefaultHttpContent(Unpooled.EMPTY_BUFFER),
                        Unpooled.copiedBuffer(big, StandardCharsets.US_ASCII), last("!", "Checksum", "abc", "X-T", "\u00e9"))));
        assertEquals("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n", encoded(HttpMethod.GET, () -> List.of(
                head(HttpResponseStatus.OK, "transfer-encoding", "chunked"), LastHttpContent.EMPTY_LAST_CONTENT)));
        assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n", encoded(HttpMethod.GET, () -> List.of(
                full(HttpResponseStatus.OK, "ab", "Transfer-Encoding", "chunked"))));
        assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: 1\r\n\r\n", encoded(HttpMethod.GET, () -> {
            DefaultFullHttpResponse response = full(HttpResponseStatus.OK, "", "Transfer-Encoding", "chunked");
            response.trailingHeaders().add("T", "1");
            return List.of(response);
        }));
        // Not chunked: "chunked" is not an element of these lists, so the body goes as it is.
        for (String notChunked : new String[] {"chunkedx", "chun ked", "\u212achunked", "chunk\u212aed", "identity"}) {
            assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: " + notChunked.replace('\u212a', '?') + "\r\n\r\nraw",
                    encoded(HttpMethod.GET, () -> List.of(head(HttpResponseStatus.OK, "Transfer-Encoding", notChunked), last("raw"))));
        }
        assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\ntransfer-encoding: chunked\r\n\r\n3\r\nraw\r\n0\r\n\r\n",
                encoded(HttpMethod.GET, () -> {
                    HttpResponse head = head(HttpResponseStatus.OK, "Transfer-Encoding", "gzip");
                    head.headers().add(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                    return List.of(head, last("raw"));
                }));
    }

    @Test
    void aSmallBodyGoesInTheHeadsBufferALargerOneAfterIt() {
        EmbeddedChannel channel = client(HttpMethod.GET, null);
        String small = "b".repeat(Http1MessageEncoder.MERGED_BODY);
        channel.writeAndFlush(full(HttpResponseStatus.OK, small, "Content-Length", Integer.toString(small.length())));
        assertEquals(List.of("HTTP/1.1 200 OK\r\nContent-Length: 128\r\n\r\n" + small), parts(channel), "one buffer");
        channel.writeInbound(bytes("GET / HTTP/1.1\r\n\r\n"));
        Object in;
        while ((in = channel.readInbound()) != null) {
            ReferenceCountUtil.release(in);
        }
        String large = small + "c";
        channel.writeAndFlush(full(HttpResponseStatus.OK, large, "Content-Length", "129"));
        assertEquals(List.of("HTTP/1.1 200 OK\r\nContent-Length: 129\r\n\r\n", large), parts(channel));
        assertFalse(channel.finishAndReleaseAll());
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 129\r\n\r\n" + large, encoded(HttpMethod.GET, () -> List.of(
                full(HttpResponseStatus.OK, large, "Content-Length", "129"))));
    }

    @Test
    void aHeadLargerThanTheThreadsFirstArrayIsWrittenWhole() {
        String value = "v".repeat(40_000);
        assertEquals("HTTP/1.1 200 OK\r\nX-Big: " + value + "\r\nX-After: 1\r\n\r\n", encoded(HttpMethod.GET, () -> List.of(
                full(HttpResponseStatus.OK, "", "X-Big", value, "X-After", "1"))));
        assertEquals("HTTP/1.1 200 OK\r\nX-Small: 1\r\n\r\n", encoded(HttpMethod.GET, () -> List.of(
                full(HttpResponseStatus.OK, "", "X-Small", "1"))), "and the next one after it");
    }

    @Test
    void pipelinedResponsesAreEachFramedForTheirOwnRequest() {
        EmbeddedChannel channel = client(HttpMethod.GET, null);
        channel.writeInbound(bytes("HEAD / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n"));
        Object in;
        while ((in = channel.readInbound()) != null) {
            ReferenceCountUtil.release(in);
        }
        for (int i = 0; i < 3; i++) {
            channel.write(head(HttpResponseStatus.OK, "Content-Length", "2"));
            channel.write(last("ok"));
        }
        channel.flush();
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", wire(channel));
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aWritesPromiseIsDoneWhenAllItsPartsAreAndFailsIfOneFails() {
        boolean[] failNext = {false};
        EmbeddedChannel channel = client(HttpMethod.GET, new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (failNext[0] && msg instanceof ByteBuf buf && buf.toString(StandardCharsets.ISO_8859_1).equals("abc")) {
                    buf.release();
                    promise.setFailure(new IllegalStateException("refused"));
                    return;
                }
                ctx.write(msg, promise);
            }
        });
        channel.write(head(HttpResponseStatus.OK, "Transfer-Encoding", "chunked"));
        ChannelFuture piece = channel.writeAndFlush(new DefaultHttpContent(bytes("x".repeat(200))));
        assertTrue(piece.isSuccess());
        failNext[0] = true;
        ChannelFuture failed = channel.writeAndFlush(new DefaultHttpContent(bytes("abc")));
        assertInstanceOf(IllegalStateException.class, failed.cause());
        failNext[0] = false;
        ChannelFuture end = channel.writeAndFlush(last("", "T", "1"));
        assertTrue(end.isSuccess());
        assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nc8\r\n" + "x".repeat(200) + "\r\n3\r\n\r\n0\r\nT: 1\r\n\r\n",
                wire(channel));
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aBodyPieceBeforeAnyHeadIsRefusedAndReleased() {
        EmbeddedChannel channel = client(HttpMethod.GET, null);
        ByteBuf piece = bytes("stray");
        DefaultHttpContent content = new DefaultHttpContent(piece);
        ChannelFuture write = channel.writeAndFlush(content);
        EncoderException refused = assertInstanceOf(EncoderException.class, write.cause());
        assertInstanceOf(IllegalStateException.class, refused.getCause());
        assertEquals(0, piece.refCnt());
        assertNull(channel.readOutbound());
        ChannelFuture empty = channel.writeAndFlush(Unpooled.EMPTY_BUFFER);
        assertTrue(empty.isSuccess(), "an empty buffer between messages passes");
        assertEquals(List.of(), parts(channel));
        assertFalse(channel.finishAndReleaseAll());
    }
}
