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
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ResponseDecoder} (through {@link UpstreamCodec}) against a hostile or broken server: each
 * message here must either come out whole and right or come out failed (a failed head or a failed
 * last content), never as a complete message with a framing the server did not mean. Every input
 * is fed both in one piece and byte by byte, so no answer depends on where the reads split.
 * What {@link UpstreamCodecTest} already covers is not repeated.
 */
class ResponseDecoderHostileTest {

    /** Small limits, so that "too long" needs only a few bytes: status line 64, head 64 + 256. */
    private static EmbeddedChannel channel() {
        HttpDecoderConfig config = new HttpDecoderConfig().setUseRfc9112TransferEncoding(false)
                .setMaxInitialLineLength(64).setMaxHeaderSize(256).setMaxChunkSize(8);
        return new EmbeddedChannel(new UpstreamCodec(config, 101));
    }

    private static void request(EmbeddedChannel ch, HttpMethod method) {
        ch.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/"));
        ByteBuf sent;
        while ((sent = ch.readOutbound()) != null) {
            sent.release();
        }
    }

    private static List<Object> drain(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        Object msg;
        while ((msg = ch.readInbound()) != null) {
            out.add(msg);
        }
        return out;
    }

    /** What a fresh codec makes of {@code bytes}, sent in one piece or one byte at a time, after a request of {@code method}. */
    private static List<Object> decode(HttpMethod method, String bytes, boolean byteByByte) {
        EmbeddedChannel ch = channel();
        request(ch, method);
        byte[] raw = bytes.getBytes(StandardCharsets.ISO_8859_1);
        if (byteByByte) {
            for (byte b : raw) {
                ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            }
        } else {
            ch.writeInbound(Unpooled.wrappedBuffer(raw));
        }
        List<Object> out = drain(ch);
        ch.finishAndReleaseAll();
        return out;
    }

    /** Decodes both ways, checks that both ways give the same messages, and hands each list to {@code check}, which must release nothing. */
    private static void bothWays(HttpMethod method, String bytes, java.util.function.Consumer<List<Object>> check) {
        for (boolean split : new boolean[] {false, true}) {
            List<Object> out = decode(method, bytes, split);
            try {
                check.accept(out);
            } finally {
                out.forEach(ReferenceCountUtil::release);
            }
        }
    }

    private static boolean failed(Object msg) {
        return ((HttpObject) msg).decoderResult().isFailure();
    }

    /** The head came out failed, alone: nothing of the message reaches the exchange as if it were good. */
    private static void refusedHead(HttpMethod method, String bytes) {
        bothWays(method, bytes, out -> {
            assertEquals(1, out.size(), bytes + " -> " + out);
            assertTrue(failed(assertInstanceOf(HttpResponse.class, out.get(0))), bytes + " -> " + out);
        });
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

    // ---- framing headers ----------------------------------------------------------------------

    /**
     * Two differing Content-Length lines in an HTTP/1.0 response are refused, as in HTTP/1.1.
     * Netty's {@code HttpUtil.normalizeAndGetContentLength(lengths, http10 = true, ...)} skips its
     * duplicate check for HTTP/1.0: the body would be cut at 2 bytes and the rest ("12345678")
     * left to be read as the next response. HAProxy 2.6.12 answers 502 (PH--) to this response.
     */
    @Test
    void differingContentLengthsInAnHttp10ResponseAreRefused() {
        refusedHead(HttpMethod.GET, "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n"
                + "Content-Length: 10\r\n\r\nok12345678");
    }

    /**
     * A list of equal lengths on one line is one length in an HTTP/1.0 response too: HAProxy
     * reads {@code Content-Length: 2, 2} as 2 in any version (Netty's HTTP/1.0 branch of
     * {@code normalizeAndGetContentLength} refused it).
     */
    @Test
    void aListOfEqualLengthsInAnHttp10ResponseIsOneLength() {
        bothWays(HttpMethod.GET, "HTTP/1.0 200 OK\r\nContent-Length: 2, 2\r\n\r\nok", out -> {
            HttpResponse head = assertInstanceOf(HttpResponse.class, out.get(0));
            assertTrue(head.decoderResult().isSuccess(), out.toString());
            assertEquals("2", head.headers().get("content-length"));
            assertEquals("ok", body(out));
        });
    }

    @Test
    void differingOrBrokenContentLengthsInAnHttp11ResponseAreRefused() {
        for (String lengths : List.of("Content-Length: 2\r\nContent-Length: 10\r\n", "Content-Length: 2, 10\r\n",
                "Content-Length: -1\r\n", "Content-Length: \r\n", "Content-Length: 0x2\r\n", "Content-Length: 2 2\r\n",
                "Content-Length: 99999999999999999999\r\n", "Content-Length: 2\r\n 0\r\n")) {
            refusedHead(HttpMethod.GET, "HTTP/1.1 200 OK\r\n" + lengths + "\r\nok");
        }
    }

    @Test
    void equalRepeatedContentLengthsAreOneLength() {
        bothWays(HttpMethod.GET, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 2, 2\r\n\r\nok", out -> {
            HttpResponse head = assertInstanceOf(HttpResponse.class, out.get(0));
            assertTrue(head.decoderResult().isSuccess());
            assertEquals(List.of("2"), head.headers().getAll("content-length"), "written once");
            assertEquals("ok", body(out));
            assertTrue(out.get(out.size() - 1) instanceof LastHttpContent last && last.decoderResult().isSuccess());
        });
    }

    @Test
    void aLengthBeforeTheChunkedCodingIsDroppedTooAndTheChunksDecideTheEnd() {
        // The order of the two lines must not matter (UpstreamCodecTest has the coding first).
        bothWays(HttpMethod.GET, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\n\r\n", out -> {
            HttpResponse head = assertInstanceOf(HttpResponse.class, out.get(0));
            assertFalse(head.headers().contains("content-length"));
            assertEquals("abc", body(out));
            assertInstanceOf(LastHttpContent.class, out.get(out.size() - 1));
            assertTrue(out.stream().noneMatch(ResponseDecoderHostileTest::failed));
        });
    }

    @Test
    void transferCodingsOtherThanALoneChunkedAreRefused() {
        for (String codings : List.of("Transfer-Encoding: chunked, chunked\r\n", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                "Transfer-Encoding: gzip, chunked\r\n", "Transfer-Encoding: chunked, gzip\r\n", "Transfer-Encoding: \r\n",
                "Transfer-Encoding: chunkedx\r\n")) {
            refusedHead(HttpMethod.GET, "HTTP/1.1 200 OK\r\n" + codings + "\r\n0\r\n\r\n");
        }
    }

    // ---- bad heads ----------------------------------------------------------------------------

    @Test
    void controlCharactersInHeaderValuesAreRefused() {
        // Stricter than HAProxy 2.6.12, which passes a NUL in a server's header value on to the
        // client; a bare CR is a line end two readers may disagree on.
        for (String line : List.of("X-A: a\0b\r\n", "X-A: a\rb\r\n", "X-A: a\r\r\n", "X-A: \u0001\r\n", "X-A: a\u007fb\r\n")) {
            refusedHead(HttpMethod.GET, "HTTP/1.1 200 OK\r\n" + line + "Content-Length: 2\r\n\r\nok");
        }
    }

    @Test
    void malformedHeaderLinesAreRefused() {
        for (String line : List.of(" X-A: folded first\r\n", "X-A\r\n", ": v\r\n", "X-A : v\r\n", "X\0A: v\r\n",
                "X-\u00e9: v\r\n", "X-A: v\nX-B: w\r\n")) {
            refusedHead(HttpMethod.GET, "HTTP/1.1 200 OK\r\n" + line + "Content-Length: 2\r\n\r\nok");
        }
    }

    @Test
    void aBareCrInTheStatusLineIsRefused() {
        for (String status : List.of("HTTP/1.1 200 O\rK\r\n", "HTTP/1.1\r200 OK\r\n", "HTTP/1.1 200\r OK\r\n", "HTTP/1.1 200 OK\r\r\n")) {
            refusedHead(HttpMethod.GET, status + "Content-Length: 2\r\n\r\nok");
        }
    }

    @Test
    void anObsFoldIsUnfoldedIntoTheValueNotTakenForAHeader() {
        bothWays(HttpMethod.GET, "HTTP/1.1 200 OK\r\nX-A: a\r\n Content-Length: 99\r\nContent-Length: 2\r\n\r\nok", out -> {
            HttpResponse head = assertInstanceOf(HttpResponse.class, out.get(0));
            assertTrue(head.decoderResult().isSuccess());
            assertEquals("a Content-Length: 99", head.headers().get("x-a"));
            assertEquals("2", head.headers().get("content-length"));
            assertEquals("ok", body(out));
        });
    }

    @Test
    void overLongStatusLineAndHeadAreRefused() {
        refusedHead(HttpMethod.GET, "HTTP/1.1 200 " + "x".repeat(80) + "\r\nContent-Length: 0\r\n\r\n");
        refusedHead(HttpMethod.GET, "HTTP/1.1 200 OK\r\nX-A: " + "v".repeat(400) + "\r\nContent-Length: 0\r\n\r\n");
        // A status line that never ends is refused once it is too long, without waiting for its end.
        bothWays(HttpMethod.GET, "HTTP/1.1 200 " + "x".repeat(80), out -> {
            assertEquals(1, out.size(), out.toString());
            assertTrue(failed(out.get(0)));
        });
    }

    // ---- bodies -------------------------------------------------------------------------------

    @Test
    void brokenChunkSizeLinesAreAFailedEnd() {
        for (String chunks : List.of("x\r\n", "-1\r\n", " 2\r\nok\r\n0\r\n\r\n", "2 \r\nok\r\n0\r\n\r\n", "2\nok\r\n0\r\n\r\n",
                "10000000000000000\r\n", "2;\r\nok\r\n0\r\n\r\n", "2;a=\"x\r\nok\r\n0\r\n\r\n", "2;a=b c\r\nok\r\n0\r\n\r\n",
                "2\r\nok\n0\r\n\r\n", "2\r\nokk\r\n0\r\n\r\n", "2;" + "e".repeat(80) + "\r\nok\r\n0\r\n\r\n")) {
            bothWays(HttpMethod.GET, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks, out -> {
                assertTrue(assertInstanceOf(HttpResponse.class, out.get(0)).decoderResult().isSuccess());
                Object end = out.get(out.size() - 1);
                assertTrue(end instanceof LastHttpContent && failed(end), chunks + " -> " + out);
                for (Object o : out.subList(1, out.size() - 1)) {
                    assertFalse(o instanceof LastHttpContent, chunks + ": only the failed end ends it");
                }
            });
        }
    }

    @Test
    void chunkExtensionsAndTrailersAreReadAndTheNextResponseFollows() {
        String bytes = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3 ; a = b ; q=\"x;\\\"y\"\r\nabc\r\nA;n\r\n0123456789\r\n0;last\r\n"
                + "X-T: 1\r\n  folded\r\nTransfer-Encoding: gzip\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        for (boolean split : new boolean[] {false, true}) {
            EmbeddedChannel ch = channel();
            request(ch, HttpMethod.GET);
            request(ch, HttpMethod.GET);
            byte[] raw = bytes.getBytes(StandardCharsets.ISO_8859_1);
            if (split) {
                for (byte b : raw) {
                    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
                }
            } else {
                ch.writeInbound(Unpooled.wrappedBuffer(raw));
            }
            List<Object> out = drain(ch);
            try {
                assertTrue(out.stream().noneMatch(ResponseDecoderHostileTest::failed), out.toString());
                int end = 0;
                while (!(out.get(end) instanceof LastHttpContent)) {
                    end++;
                }
                assertEquals("abc0123456789", body(out.subList(0, end + 1)));
                LastHttpContent last = (LastHttpContent) out.get(end);
                assertEquals("1 folded", last.trailingHeaders().get("x-t"));
                assertFalse(last.trailingHeaders().contains("transfer-encoding"), "a trailer does not reframe");
                assertEquals(200, ((HttpResponse) out.get(end + 1)).status().code());
                assertEquals("ok", body(out.subList(end + 1, out.size())));
                assertInstanceOf(LastHttpContent.class, out.get(out.size() - 1));
            } finally {
                out.forEach(ReferenceCountUtil::release);
            }
            assertFalse(ch.finish());
        }
    }

    @Test
    void brokenTrailersAreAFailedEnd() {
        for (String trailers : List.of("X-T: a\0b\r\n\r\n", "X-T\r\n\r\n", " X-T: v\r\n\r\n", "X-T: v\n\r\n",
                "X-T: " + "v".repeat(400) + "\r\n\r\n")) {
            bothWays(HttpMethod.GET, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n" + trailers, out -> {
                Object end = out.get(out.size() - 1);
                assertTrue(end instanceof LastHttpContent && failed(end), trailers + " -> " + out);
            });
        }
    }

    @Test
    void aBodyCutByTheCloseNeverEnds() {
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        // Cut in a chunk-size line, in the data, before the data's CRLF, between CR and LF, after
        // the last chunk, inside a trailer, before the final CRLF.
        for (String cut : List.of(chunked + "1", chunked + "5\r\nab", chunked + "2\r\nok", chunked + "2\r\nok\r",
                chunked + "2\r\nok\r\n0\r\n", chunked + "2\r\nok\r\n0\r\nX-T: 1", chunked + "2\r\nok\r\n0\r\nX-T: 1\r\n",
                chunked + "2\r\nok\r\n0\r\n\r", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok")) {
            for (boolean split : new boolean[] {false, true}) {
                EmbeddedChannel ch = channel();
                request(ch, HttpMethod.GET);
                byte[] raw = cut.getBytes(StandardCharsets.ISO_8859_1);
                if (split) {
                    for (byte b : raw) {
                        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
                    }
                } else {
                    ch.writeInbound(Unpooled.wrappedBuffer(raw));
                }
                ch.close();
                List<Object> out = drain(ch);
                try {
                    assertTrue(out.stream().noneMatch(o -> o instanceof LastHttpContent last && last.decoderResult().isSuccess()),
                            cut + " -> " + out);
                } finally {
                    out.forEach(ReferenceCountUtil::release);
                }
            }
        }
    }

    // ---- bodiless responses -------------------------------------------------------------------

    @Test
    void interimResponsesThenAFinalResponseToHeadHaveNoBody() {
        // 103 and 100 answer no request by themselves: the HEAD belongs to the final response,
        // whose length announces a body that is not sent; the next response follows at once.
        String bytes = "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\nContent-Length: 5\r\n\r\n"
                + "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        for (boolean split : new boolean[] {false, true}) {
            EmbeddedChannel ch = channel();
            request(ch, HttpMethod.HEAD);
            request(ch, HttpMethod.GET);
            byte[] raw = bytes.getBytes(StandardCharsets.ISO_8859_1);
            if (split) {
                for (byte b : raw) {
                    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
                }
            } else {
                ch.writeInbound(Unpooled.wrappedBuffer(raw));
            }
            List<Object> out = drain(ch);
            try {
                assertEquals(103, ((HttpResponse) out.get(0)).status().code());
                assertEquals("</a.css>; rel=preload", ((HttpResponse) out.get(0)).headers().get("link"));
                assertEquals(LastHttpContent.EMPTY_LAST_CONTENT, out.get(1));
                assertEquals(100, ((HttpResponse) out.get(2)).status().code());
                assertEquals(LastHttpContent.EMPTY_LAST_CONTENT, out.get(3));
                assertEquals(200, ((HttpResponse) out.get(4)).status().code());
                assertEquals(LastHttpContent.EMPTY_LAST_CONTENT, out.get(5), "the answer to HEAD has no body");
                assertEquals(200, ((HttpResponse) out.get(6)).status().code());
                assertEquals("hello", body(out.subList(7, out.size())));
                assertInstanceOf(LastHttpContent.class, out.get(out.size() - 1));
                assertTrue(out.stream().noneMatch(ResponseDecoderHostileTest::failed));
            } finally {
                out.forEach(ReferenceCountUtil::release);
            }
            assertFalse(ch.finish());
        }
    }

    /**
     * A bodiless response keeps its {@code Transfer-Encoding: chunked}, as HAProxy 2.6.12 forwards
     * it (recorded: HEAD/200, 304; on a 204 the client's encoder drops it, as HAProxy does), and
     * loses a length beside it. HAProxy did not reuse the server connection after a coded 204 or
     * 304, nor after a coding with a length; it did after a lone coding answering HEAD.
     */
    @Test
    void aBodilessResponseKeepsItsChunkedCodingAndDropsALengthBesideIt() {
        record Case(HttpMethod method, String head, boolean length, boolean keepsConnection) {
        }
        for (Case c : List.of(new Case(HttpMethod.HEAD, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n", false, true),
                new Case(HttpMethod.HEAD, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n", true, false),
                new Case(HttpMethod.GET, "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n", false, false),
                new Case(HttpMethod.GET, "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n", true, false),
                new Case(HttpMethod.GET, "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n", false, false),
                new Case(HttpMethod.HEAD, "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n", false, false))) {
            String bytes = c.head() + "X-A: 1\r\n\r\n";
            bothWays(c.method(), bytes, out -> {
                assertEquals(2, out.size(), bytes + " -> " + out);
                HttpResponse head = assertInstanceOf(HttpResponse.class, out.get(0));
                assertTrue(head.decoderResult().isSuccess(), bytes);
                assertEquals("chunked", head.headers().get("transfer-encoding"), bytes);
                assertNull(head.headers().get("content-length"), bytes);
                assertEquals(c.keepsConnection(), HttpUtil.isKeepAlive(head), bytes);
                assertEquals("1", head.headers().get("x-a"));
                assertEquals(LastHttpContent.EMPTY_LAST_CONTENT, out.get(1), bytes);
            });
        }
        // A length alone on a 304 stays, and so does the connection (as HAProxy).
        bothWays(HttpMethod.GET, "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n", out -> {
            HttpResponse head = assertInstanceOf(HttpResponse.class, out.get(0));
            assertEquals("5", head.headers().get("content-length"));
            assertTrue(HttpUtil.isKeepAlive(head));
            assertEquals(LastHttpContent.EMPTY_LAST_CONTENT, out.get(1));
        });
    }

    /** An interim response frames nothing: a coding on it is dropped. */
    @Test
    void anInterimResponseLosesAChunkedCoding() {
        bothWays(HttpMethod.GET, "HTTP/1.1 103 Early Hints\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", out -> {
            HttpResponse interim = assertInstanceOf(HttpResponse.class, out.get(0));
            assertEquals(103, interim.status().code());
            assertFalse(interim.headers().contains("transfer-encoding"));
            assertEquals("ok", body(out.subList(2, out.size())));
        });
    }

    @Test
    void aBodySentAfterABodilessResponseIsNeverTakenForTheNextResponse() {
        // The server sends a body where none can be: its bytes are not a status line.
        for (String bytes : List.of("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello",
                "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\nhello",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")) {
            HttpMethod method = bytes.contains(" 200 ") ? HttpMethod.HEAD : HttpMethod.GET;
            bothWays(method, bytes, out -> {
                assertEquals(3, out.size(), bytes + " -> " + out);
                assertTrue(assertInstanceOf(HttpResponse.class, out.get(0)).decoderResult().isSuccess());
                assertEquals(LastHttpContent.EMPTY_LAST_CONTENT, out.get(1));
                assertTrue(failed(assertInstanceOf(HttpResponse.class, out.get(2))), "the stray body is refused");
            });
        }
    }

    @Test
    void aResponseFollowedByAnotherInTheSameReadFailsTheConnection() {
        // Bytes after a response with no request waiting: never glued to the first one's body nor
        // kept for the next request's response; they come out as a failed head (the idle
        // connection's handler then closes the connection).
        bothWays(HttpMethod.GET, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstale", out -> {
            int end = 0;
            while (!(out.get(end) instanceof LastHttpContent)) {
                end++;
            }
            assertEquals("ok", body(out.subList(0, end + 1)));
            assertEquals(end + 2, out.size(), out.toString());
            assertTrue(failed(assertInstanceOf(HttpResponse.class, out.get(end + 1))), out.toString());
        });
    }

    @Test
    void aCloseDelimitedBodyEndsOnlyWithTheClose() {
        for (boolean split : new boolean[] {false, true}) {
            EmbeddedChannel ch = channel();
            request(ch, HttpMethod.GET);
            byte[] raw = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1);
            if (split) {
                for (byte b : raw) {
                    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
                }
            } else {
                ch.writeInbound(Unpooled.wrappedBuffer(raw));
            }
            List<Object> out = drain(ch);
            assertEquals(1, out.stream().filter(o -> o instanceof HttpResponse).count(), "what follows is body, not a response");
            assertTrue(out.stream().noneMatch(o -> o instanceof LastHttpContent));
            assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", body(out));
            out.forEach(ReferenceCountUtil::release);
            ch.close();
            List<Object> end = drain(ch);
            assertEquals(List.of(LastHttpContent.EMPTY_LAST_CONTENT), end);
            assertNull(ch.readInbound());
        }
    }
}
