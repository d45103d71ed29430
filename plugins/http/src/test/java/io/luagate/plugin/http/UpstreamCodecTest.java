package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The upstream codec on its own: heads that arrive in pieces, HEAD pairing, refusals that leave nothing behind. */
class UpstreamCodecTest {

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new UpstreamCodec(new HttpDecoderConfig().setUseRfc9112TransferEncoding(false), 101));
    }

    private static void request(EmbeddedChannel ch, HttpMethod method) {
        ch.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/"));
        ByteBuf sent;
        while ((sent = ch.readOutbound()) != null) {
            sent.release();
        }
    }

    /** Feeds the bytes one at a time, as a slow server would send them, and returns what came out. */
    private static List<Object> byteByByte(EmbeddedChannel ch, String bytes) {
        for (byte b : bytes.getBytes(StandardCharsets.ISO_8859_1)) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        List<Object> out = new ArrayList<>();
        Object msg;
        while ((msg = ch.readInbound()) != null) {
            out.add(msg);
        }
        return out;
    }

    @Test
    void aHeadInPiecesIsDecodedOnceWhole() {
        EmbeddedChannel ch = channel();
        request(ch, HttpMethod.GET);
        List<Object> out = byteByByte(ch, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: b\r\n\r\nok");
        HttpResponse head = assertInstanceOf(HttpResponse.class, out.get(0));
        assertTrue(head.decoderResult().isSuccess());
        assertEquals("b", head.headers().get("x-a"));
        StringBuilder body = new StringBuilder();
        for (Object o : out.subList(1, out.size())) {
            body.append(((HttpContent) o).content().toString(StandardCharsets.ISO_8859_1));
        }
        assertEquals("ok", body.toString());
        assertInstanceOf(LastHttpContent.class, out.get(out.size() - 1));
        out.forEach(ReferenceCountUtil::release);
        assertFalse(ch.finish());
    }

    @Test
    void aSpaceInAHeaderNameArrivingInPiecesIsRefusedAndNothingFollows() {
        EmbeddedChannel ch = channel();
        request(ch, HttpMethod.GET);
        List<Object> out = byteByByte(ch, "HTTP/1.1 200 OK\r\nBad Header: x\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n\r\n");
        assertEquals(1, out.size(), out.toString());
        HttpResponse head = assertInstanceOf(HttpResponse.class, out.get(0));
        assertTrue(head.decoderResult().isFailure());
        ReferenceCountUtil.release(head);
        ch.writeInbound(Unpooled.copiedBuffer("more", StandardCharsets.ISO_8859_1));
        assertNull(ch.readInbound(), "a refused connection decodes nothing more");
        assertFalse(ch.finish());
    }

    @Test
    void aResponseToHeadHasNoBodyAndTheNextOneIsScannedToo() {
        EmbeddedChannel ch = channel();
        request(ch, HttpMethod.HEAD);
        request(ch, HttpMethod.GET);
        List<Object> out = byteByByte(ch, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nX-A : b\r\nContent-Length: 0\r\n\r\n");
        HttpResponse first = assertInstanceOf(HttpResponse.class, out.get(0));
        assertTrue(first.decoderResult().isSuccess());
        assertInstanceOf(LastHttpContent.class, out.get(1));
        HttpResponse second = assertInstanceOf(HttpResponse.class, out.get(2));
        assertTrue(second.decoderResult().isFailure(), "the second head was scanned as raw bytes too");
        assertEquals(3, out.size(), out.toString());
        out.forEach(ReferenceCountUtil::release);
        assertFalse(ch.finish());
    }

    @Test
    void tooManyHeaderLinesAndACodingOtherThanChunkedAreRefused() {
        EmbeddedChannel ch = channel();
        request(ch, HttpMethod.GET);
        StringBuilder many = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 101; i++) {
            many.append("X-").append(i).append(": v\r\n");
        }
        List<Object> out = byteByByte(ch, many.append("\r\n").toString());
        assertTrue(((HttpResponse) out.get(0)).decoderResult().isFailure());
        out.forEach(ReferenceCountUtil::release);
        assertFalse(ch.finish());

        EmbeddedChannel gzip = channel();
        request(gzip, HttpMethod.GET);
        gzip.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\nok",
                StandardCharsets.ISO_8859_1));
        HttpResponse head = gzip.readInbound();
        assertTrue(head.decoderResult().isFailure());
        ReferenceCountUtil.release(head);
        assertNull(gzip.readInbound(), "its body is not passed on");
        assertFalse(gzip.finish());
    }

    /** Everything the channel has passed on so far. */
    private static List<Object> drain(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        Object msg;
        while ((msg = ch.readInbound()) != null) {
            out.add(msg);
        }
        return out;
    }

    private static String body(List<Object> out) {
        StringBuilder body = new StringBuilder();
        for (Object o : out) {
            if (o instanceof HttpContent c) {
                body.append(c.content().toString(StandardCharsets.ISO_8859_1));
            }
        }
        return body.toString();
    }

    @Test
    void aChunkedBodyInPiecesEndsWithItsTrailersAndNoLengthBesideIt() {
        EmbeddedChannel ch = channel();
        request(ch, HttpMethod.GET);
        List<Object> out = byteByByte(ch, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 9\r\n\r\n"
                + "2;x=y\r\nok\r\n1\r\n!\r\n0\r\nX-T: 1\r\nContent-Length: 3\r\n\r\n");
        HttpResponse head = assertInstanceOf(HttpResponse.class, out.get(0));
        assertFalse(head.headers().contains("content-length"), "the coding decides, the length goes");
        assertEquals("ok!", body(out));
        LastHttpContent last = assertInstanceOf(LastHttpContent.class, out.get(out.size() - 1));
        assertTrue(last.decoderResult().isSuccess());
        assertEquals("1", last.trailingHeaders().get("x-t"));
        assertFalse(last.trailingHeaders().contains("content-length"), "a trailer does not change the framing");
        out.forEach(ReferenceCountUtil::release);
        assertFalse(ch.finish());
    }

    @Test
    void aBrokenChunkIsAFailedEndAndNothingFollows() {
        EmbeddedChannel ch = channel();
        request(ch, HttpMethod.GET);
        List<Object> out = byteByByte(ch, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n0\r\n\r\n");
        LastHttpContent last = assertInstanceOf(LastHttpContent.class, out.get(out.size() - 1));
        assertTrue(last.decoderResult().isFailure(), "a chunk not followed by CRLF never ends well");
        out.forEach(ReferenceCountUtil::release);
        ch.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\n\r\n", StandardCharsets.ISO_8859_1));
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void aBodyWithoutFramingEndsWithTheConnectionAndALengthCutShortGetsNoEnd() {
        EmbeddedChannel ch = channel();
        request(ch, HttpMethod.GET);
        List<Object> out = byteByByte(ch, "HTTP/1.0 200 OK\r\nX-A: b\r\n\r\nsome body");
        assertEquals("some body", body(out));
        assertFalse(out.get(out.size() - 1) instanceof LastHttpContent, "not ended before the close");
        out.forEach(ReferenceCountUtil::release);
        ch.close();
        List<Object> end = drain(ch);
        assertEquals(1, end.size(), end.toString());
        assertInstanceOf(LastHttpContent.class, end.get(0));
        assertTrue(((LastHttpContent) end.get(0)).decoderResult().isSuccess());

        EmbeddedChannel cut = channel();
        request(cut, HttpMethod.GET);
        List<Object> partial = byteByByte(cut, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf");
        partial.forEach(ReferenceCountUtil::release);
        cut.close();
        assertTrue(drain(cut).isEmpty(), "a body cut short by the close never ends as if complete");
    }

    @Test
    void aCloseAfterTheStatusLineIsAFailedHeadAndBeforeItNothing() {
        EmbeddedChannel ch = channel();
        request(ch, HttpMethod.GET);
        assertTrue(byteByByte(ch, "HTTP/1.1 200 OK\r\nX-A: b").isEmpty());
        ch.close();
        List<Object> out = drain(ch);
        assertEquals(1, out.size(), out.toString());
        assertTrue(((HttpResponse) out.get(0)).decoderResult().isFailure());

        EmbeddedChannel early = channel();
        request(early, HttpMethod.GET);
        assertTrue(byteByByte(early, "HTTP/1.1 20").isEmpty());
        early.close();
        assertTrue(drain(early).isEmpty(), "no response byte that counts: the exchange decides (a retry may follow)");
    }

    @Test
    void interimNoContentAndNotModifiedHaveNoBodyAndTheFinalResponseFollows() {
        EmbeddedChannel ch = channel();
        request(ch, HttpMethod.GET);
        request(ch, HttpMethod.GET);
        List<Object> out = byteByByte(ch, "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\n");
        assertEquals(6, out.size(), out.toString());
        assertEquals(100, ((HttpResponse) out.get(0)).status().code());
        assertInstanceOf(LastHttpContent.class, out.get(1));
        HttpResponse noContent = (HttpResponse) out.get(2);
        assertEquals(204, noContent.status().code());
        // Kept as HAProxy keeps it (the client's encoder drops it from a 204); no body follows.
        assertEquals("chunked", noContent.headers().get("transfer-encoding"));
        assertInstanceOf(LastHttpContent.class, out.get(3));
        assertEquals("7", ((HttpResponse) out.get(4)).headers().get("content-length"));
        assertInstanceOf(LastHttpContent.class, out.get(5));
        out.forEach(ReferenceCountUtil::release);
        assertFalse(ch.finish());
    }

    @Test
    void afterASwitchTheBytesGoOnRaw() {
        EmbeddedChannel ch = channel();
        request(ch, HttpMethod.GET);
        ch.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\nHTTP/1.1 frame",
                StandardCharsets.ISO_8859_1));
        List<Object> out = drain(ch);
        assertEquals(101, ((HttpResponse) out.get(0)).status().code());
        assertInstanceOf(LastHttpContent.class, out.get(1));
        ByteBuf raw = assertInstanceOf(ByteBuf.class, out.get(2));
        assertEquals("HTTP/1.1 frame", raw.toString(StandardCharsets.ISO_8859_1));
        out.forEach(ReferenceCountUtil::release);
        assertFalse(ch.finish());
    }

    @Test
    void theStatusLineKeepsTheServersReasonAndRefusesWhatIsNoStatus() {
        EmbeddedChannel ch = channel();
        request(ch, HttpMethod.GET);
        request(ch, HttpMethod.GET);
        List<Object> out = byteByByte(ch, "HTTP/1.1 200 Fine\r\nContent-Length: 0\r\n\r\n"
                + "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        assertEquals("Fine", ((HttpResponse) out.get(0)).status().reasonPhrase());
        assertEquals(404, ((HttpResponse) out.get(2)).status().code());
        assertEquals("Not Found", ((HttpResponse) out.get(2)).status().reasonPhrase());
        out.forEach(ReferenceCountUtil::release);
        assertFalse(ch.finish());

        for (String bad : List.of("HTTP/1.1 2x0 OK\r\n\r\n", "HTTP/1.1\r\n\r\n", "http/1.1 200 OK\r\n\r\n",
                "HTTP/1.1 200 OK\nContent-Length: 0\n\n", "HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok")) {
            EmbeddedChannel refused = channel();
            request(refused, HttpMethod.GET);
            List<Object> got = byteByByte(refused, bad);
            assertEquals(1, got.size(), bad + ": " + got);
            assertTrue(((HttpResponse) got.get(0)).decoderResult().isFailure(), bad);
            got.forEach(ReferenceCountUtil::release);
            assertFalse(refused.finish());
        }
    }

    @Test
    void aLowerCaseProtocolIsRefusedBeforeTheHeadIsComplete() {
        EmbeddedChannel ch = channel();
        request(ch, HttpMethod.GET);
        List<Object> out = byteByByte(ch, "\r\nhttp/");
        assertEquals(1, out.size(), out.toString());
        assertTrue(((HttpResponse) out.get(0)).decoderResult().isFailure());
        out.forEach(ReferenceCountUtil::release);
        assertFalse(ch.finish());
    }
}
