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
}
