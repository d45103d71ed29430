package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Http2StreamBridge}: a stream's frames become the messages the exchange reads for
 * HTTP/1.1, and what the exchange writes becomes frames, on a real (embedded) channel.
 */
class Http2StreamBridgeTest {

    private final WireCounter wire = new WireCounter();
    private final EmbeddedChannel channel = new EmbeddedChannel(new OnChannel(new Http2StreamBridge(wire)));

    /** The bridge between a channel's frames (inbound) and messages (outbound), as a stream uses it. */
    private static final class OnChannel extends ChannelDuplexHandler {

        private final Http2StreamBridge bridge;

        OnChannel(Http2StreamBridge bridge) {
            this.bridge = bridge;
        }

        /** A frame as Netty's frame listener gives it to the stream, which gives the messages on. */
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof Http2HeadersFrame frame) {
                HttpObject read = bridge.headers(1, frame.headers(), frame.isEndStream());
                ctx.fireChannelRead(read);
                if (read instanceof HttpRequest && frame.isEndStream()) {
                    ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
                }
            } else {
                Http2DataFrame frame = (Http2DataFrame) msg;
                ctx.fireChannelRead(bridge.data(frame.content(), frame.isEndStream()));
            }
        }

        /** The frames the bridge makes, as objects the test reads back. */
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            bridge.write(msg, new Http2StreamBridge.Frames() {
                @Override
                public void headers(Http2Headers headers, boolean endStream) {
                    ctx.write(new DefaultHttp2HeadersFrame(headers, endStream));
                }

                @Override
                public void data(ByteBuf data, boolean endStream) {
                    ctx.write(new DefaultHttp2DataFrame(data, endStream));
                }
            });
        }
    }

    @AfterEach
    void releaseAll() {
        channel.finishAndReleaseAll();
    }

    private static Http2Headers request(String method, String path) {
        return new DefaultHttp2Headers().method(method).scheme("http").path(path).authority("example.com");
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aRequestInOneHeadersFrameIsAHeadThenAnEmptyEnd() {
        Http2Headers headers = request("GET", "/a?b=c").add("cookie", "a=1").add("accept", "*/*").add("cookie", "b=2");
        channel.writeInbound(new DefaultHttp2HeadersFrame(headers, true));

        HttpRequest head = assertInstanceOf(HttpRequest.class, channel.readInbound());
        assertSame(HttpMethod.GET, head.method());
        assertEquals("/a?b=c", head.uri());
        assertSame(Http2StreamBridge.HTTP_2, head.protocolVersion());
        assertEquals("HTTP/2.0", head.protocolVersion().text());
        assertEquals("example.com", head.headers().get("host"));
        assertEquals(List.of("a=1; b=2"), head.headers().getAll("cookie"), "cookie fields are joined (RFC 9113 8.2.3)");
        assertEquals("*/*", head.headers().get("accept"));
        assertFalse(head.headers().contains("transfer-encoding"), "no body: no chunked framing");
        assertTrue(head.headers().names().stream().noneMatch(n -> n.startsWith(":") || n.startsWith("x-http2")),
                head.headers()::toString);
        assertSame(LastHttpContent.EMPTY_LAST_CONTENT, channel.readInbound());
        assertNull(channel.readInbound());
        // As HTTP/1.1 writes it: each field "name: value\r\n" (pseudo-headers too), then "\r\n".
        long expected = 2;
        for (var field : headers) {
            expected += field.getKey().length() + field.getValue().length() + 4;
        }
        assertEquals(expected, wire.bytesIn);
        assertTrue(wire.readSinceIdle);
    }

    @Test
    void aBodyWithoutContentLengthIsChunkedAndDataFramesArePieces() {
        channel.writeInbound(new DefaultHttp2HeadersFrame(request("POST", "/up"), false));
        HttpRequest head = channel.readInbound();
        assertEquals("chunked", head.headers().get("transfer-encoding"));

        channel.writeInbound(new DefaultHttp2DataFrame(bytes("abc"), false));
        HttpContent piece = channel.readInbound();
        assertFalse(piece instanceof LastHttpContent);
        assertEquals("abc", piece.content().toString(StandardCharsets.ISO_8859_1));
        piece.release();

        channel.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().add("x-sum", "9").add("cookie", "c=3"), true));
        LastHttpContent end = channel.readInbound();
        assertEquals("9", end.trailingHeaders().get("x-sum"));
        assertEquals("c=3", end.trailingHeaders().get("cookie"));
        assertFalse(end.content().isReadable());
        end.release();
    }

    @Test
    void aBodyWithContentLengthKeepsItsLength() {
        channel.writeInbound(new DefaultHttp2HeadersFrame(request("PUT", "/x").add("content-length", "2"), false));
        HttpRequest head = channel.readInbound();
        assertEquals("2", head.headers().get("content-length"));
        assertFalse(head.headers().contains("transfer-encoding"));
        channel.writeInbound(new DefaultHttp2DataFrame(bytes("ok"), true));
        LastHttpContent end = channel.readInbound();
        assertEquals("ok", end.content().toString(StandardCharsets.ISO_8859_1));
        end.release();
        assertEquals(2, wire.bytesIn - headBytes(request("PUT", "/x").add("content-length", "2")));
    }

    private static long headBytes(Http2Headers headers) {
        long size = 2;
        for (var field : headers) {
            size += field.getKey().length() + field.getValue().length() + 4;
        }
        return size;
    }

    @Test
    void aResponseHeadLosesConnectionFieldsAndIsLowerCased() {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().add("Content-Type", "text/plain").add("X-Custom", "1").add("Connection", "close, X-Hop")
                .add("X-Hop", "gone").add("Keep-Alive", "timeout=5").add("Transfer-Encoding", "chunked")
                .add("TE", "gzip, Trailers").add("Upgrade", "h2c");
        channel.writeOutbound(response);

        Http2HeadersFrame frame = channel.readOutbound();
        assertFalse(frame.isEndStream(), "a body follows");
        Http2Headers out = frame.headers();
        assertEquals("200", out.status().toString());
        assertEquals("text/plain", out.get("content-type").toString());
        assertEquals("1", out.get("x-custom").toString());
        assertEquals("trailers", out.get("te").toString());
        for (String gone : List.of("connection", "x-hop", "keep-alive", "transfer-encoding", "upgrade")) {
            assertNull(out.get(gone), gone);
        }
        assertEquals(4, out.size(), out::toString);

        channel.writeOutbound(new DefaultHttpContent(bytes("hel")));
        Http2DataFrame data = channel.readOutbound();
        assertFalse(data.isEndStream());
        data.release();
        channel.writeOutbound(new DefaultLastHttpContent(bytes("lo")));
        Http2DataFrame last = channel.readOutbound();
        assertTrue(last.isEndStream());
        assertEquals("lo", last.content().toString(StandardCharsets.ISO_8859_1));
        last.release();
        assertEquals(headBytes(out) + 5, wire.bytesOut);
    }

    @Test
    void aResponseHeadKeepsItsFieldsOrderAndRepeatsAsTheOldCopyDid() {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CREATED);
        response.headers().add("Set-Cookie", "a=1").add("X-Y-Unknown", "v").add("Content-Length", "0")
                .add("Proxy-Connection", "keep-alive").add("set-cookie", "b=2").add("Host", "h").add("Date", "d");
        channel.writeOutbound(response);

        Http2HeadersFrame frame = channel.readOutbound();
        Http2Headers out = frame.headers();
        List<String> fields = new ArrayList<>();
        for (var field : out) {
            fields.add(field.getKey() + ": " + field.getValue());
        }
        assertEquals(List.of(":status: 201", "set-cookie: a=1", "x-y-unknown: v", "content-length: 0", "set-cookie: b=2",
                "date: d"), fields, "pseudo-header first, then the fields in their order, repeats kept, hop-by-hop dropped");
        // What the former DefaultHttp2Headers copy held, compared both ways.
        Http2Headers copy = new DefaultHttp2Headers(false).status("201").add("set-cookie", "a=1").add("x-y-unknown", "v")
                .add("content-length", "0").add("set-cookie", "b=2").add("date", "d");
        assertEquals(copy, out);
        assertEquals(out, copy);
        assertEquals(List.of("a=1", "b=2"), out.getAll("set-cookie").stream().map(CharSequence::toString).toList());
        assertThrows(UnsupportedOperationException.class, () -> out.add("x", "y"), "what was encoded cannot change");
    }

    @Test
    void trailersAreLowerCasedAndLoseConnectionSpecificFields() {
        LastHttpContent last = new DefaultLastHttpContent(bytes("z"));
        last.trailingHeaders().add("Grpc-Status", "0").add("Connection", "x-drop").add("X-Drop", "1").add("Grpc-Message", "ok");
        channel.writeOutbound(last);
        Http2DataFrame data = channel.readOutbound();
        data.release();
        Http2HeadersFrame trailers = channel.readOutbound();
        assertTrue(trailers.isEndStream());
        assertEquals(new DefaultHttp2Headers(false).add("grpc-status", "0").add("grpc-message", "ok"), trailers.headers());
        assertNull(trailers.headers().status());
    }

    @Test
    void anEmptyLastPieceEndsTheStreamWithAnEmptyDataFrame() {
        channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        assertInstanceOf(Http2HeadersFrame.class, channel.readOutbound());
        channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        Http2DataFrame end = channel.readOutbound();
        assertTrue(end.isEndStream());
        assertFalse(end.content().isReadable());
        end.release();
    }

    @Test
    void aFullResponseIsHeadersAndOneDataFrameOrHeadersAloneWhenEmpty() {
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND, bytes("nope")));
        Http2HeadersFrame head = channel.readOutbound();
        assertFalse(head.isEndStream());
        Http2DataFrame body = channel.readOutbound();
        assertTrue(body.isEndStream());
        assertEquals("nope", body.content().toString(StandardCharsets.ISO_8859_1));
        body.release();
        assertNull(channel.readOutbound());

        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT));
        Http2HeadersFrame alone = channel.readOutbound();
        assertTrue(alone.isEndStream(), "nothing after the head: it ends the stream");
        assertNull(channel.readOutbound());
    }

    @Test
    void anInterimResponseNeverEndsTheStream() {
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(103)));
        Http2HeadersFrame interim = channel.readOutbound();
        assertFalse(interim.isEndStream());
        assertEquals("103", interim.headers().status().toString());
    }

    @Test
    void trailersEndTheStreamAfterTheLastData() {
        LastHttpContent last = new DefaultLastHttpContent(bytes("z"));
        last.trailingHeaders().add("Grpc-Status", "0");
        channel.writeOutbound(last);
        Http2DataFrame data = channel.readOutbound();
        assertFalse(data.isEndStream());
        data.release();
        Http2HeadersFrame trailers = channel.readOutbound();
        assertTrue(trailers.isEndStream());
        assertEquals("0", trailers.headers().get("grpc-status").toString());
    }

    @Test
    void tokensAreMatchedWholeIgnoringCaseAndBlanks() {
        assertTrue(Http2StreamBridge.hasToken("gzip, Trailers ", "trailers"));
        assertTrue(Http2StreamBridge.hasToken("trailers", "trailers"));
        assertFalse(Http2StreamBridge.hasToken("trailersx, gzip", "trailers"));
        assertFalse(Http2StreamBridge.hasToken("", "trailers"));
    }
}
