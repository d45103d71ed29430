package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * luagate's request decoder on an embedded channel: the messages it makes (written out as text),
 * the same whatever the reads the bytes arrive in, its limits, what it refuses before a request,
 * its pause after an Upgrade request, and the methods it hands the response encoder.
 */
class RequestDecoderTest {

    private static final int LIMIT = 1024;

    /** Writes each message down as text and releases it. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<String> seen = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                seen.add(describe(msg));
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                seen.add("FIN");
            }
        }
    }

    private static String describe(Object msg) {
        StringBuilder out = new StringBuilder();
        if (msg instanceof HttpRequest request) {
            if (request.decoderResult().isFailure()) {
                return "FAILED " + request.decoderResult().cause().getClass().getSimpleName();
            }
            out.append(request.method()).append(' ').append(request.uri()).append(' ').append(request.protocolVersion());
            for (Map.Entry<String, String> h : request.headers()) {
                out.append(" [").append(h.getKey()).append('=').append(h.getValue()).append(']');
            }
        } else if (msg instanceof HttpContent content) {
            if (content.decoderResult().isFailure()) {
                return "FAILED BODY";
            }
            out.append(content instanceof LastHttpContent ? "last" : "body").append(" '")
                    .append(content.content().toString(StandardCharsets.ISO_8859_1)).append('\'');
            if (content instanceof LastHttpContent last) {
                for (Map.Entry<String, String> h : last.trailingHeaders()) {
                    out.append(" [").append(h.getKey()).append('=').append(h.getValue()).append(']');
                }
            }
        } else if (msg instanceof ByteBuf raw) {
            out.append("raw '").append(raw.toString(StandardCharsets.ISO_8859_1)).append('\'');
        } else {
            out.append(msg);
        }
        return out.toString();
    }

    /** As luagate's client channels: no auto-read, input comes when asked for. */
    private static EmbeddedChannel channel(Recorder recorder) {
        EmbeddedChannel channel = new EmbeddedChannel(false, false, new ClientCodec(LIMIT, LIMIT, 8), recorder);
        channel.config().setAutoRead(false);
        try {
            channel.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return channel;
    }

    /** Feeds {@code text} in the pieces given by the cut points; returns what came out. */
    private static List<String> decode(String text, int... cuts) {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = channel(recorder);
        int from = 0;
        for (int cut : cuts) {
            channel.writeInbound(bytes(text.substring(from, cut)));
            from = cut;
        }
        channel.writeInbound(bytes(text.substring(from)));
        channel.finishAndReleaseAll();
        return recorder.seen;
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    private static final String MIXED = "\r\n\r\nGET /a?b HTTP/1.1\r\nHost: h\r\nX-Fold: a\r\n  b\r\n\r\n"
            + "POST /p HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello world"
            + "\nPUT /c HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "3;x=\"a b\"\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-T: 1\r\n\r\n"
            + "HEAD / HTTP/1.1\r\n\r\n";

    private static final List<String> MIXED_MESSAGES = List.of(
            "GET /a?b HTTP/1.1 [Host=h] [X-Fold=a b]", "last ''",
            "POST /p HTTP/1.1 [Content-Length=11]", "body 'hello wo'", "last 'rld'",
            "PUT /c HTTP/1.0 [Transfer-Encoding=chunked]", "body 'abc'", "body '01234567'", "body '89'",
            "last '' [X-T=1]",
            "HEAD / HTTP/1.1", "last ''");

    @Test
    void decodesHeadsBodiesChunksAndTrailers() {
        assertEquals(MIXED_MESSAGES, decode(MIXED));
    }

    @Test
    void theMessagesAreTheSameWhereverTheReadsEnd() {
        for (int cut = 1; cut < MIXED.length(); cut++) {
            List<String> seen = merged(decode(MIXED, cut));
            assertEquals(merged(MIXED_MESSAGES), seen, "cut at " + cut);
        }
        int[] everyByte = new int[MIXED.length() - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertEquals(merged(MIXED_MESSAGES), merged(decode(MIXED, everyByte)));
    }

    /** Body pieces depend on the reads; their bytes, in order, do not. */
    private static List<String> merged(List<String> messages) {
        List<String> out = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (String m : messages) {
            if (m.startsWith("body '") || m.startsWith("last '")) {
                int close = m.indexOf('\'', 6);
                body.append(m, 6, close);
                if (m.startsWith("last")) {
                    out.add("content '" + body + "'" + m.substring(close + 1));
                    body.setLength(0);
                }
            } else {
                out.add(m);
            }
        }
        return out;
    }

    @Test
    void emptyLinesBeforeARequestAreSkippedAndAnythingElseRefused() {
        assertEquals(List.of("GET / HTTP/1.1", "last ''"), decode("\r\n\n\r\nGET / HTTP/1.1\r\n\r\n"));
        assertEquals(List.of("GET / HTTP/1.1", "last ''"), decode("\r\nGET / HTTP/1.1\r\n\r\n", 1));
        assertEquals(List.of("FAILED IllegalArgumentException"), decode(" GET / HTTP/1.1\r\n\r\n"));
        assertEquals(List.of("FAILED IllegalArgumentException"), decode("\tGET / HTTP/1.1\r\n\r\n"));
        assertEquals(List.of("FAILED IllegalArgumentException"), decode("\u0000GET / HTTP/1.1\r\n\r\n"));
        assertEquals(List.of("FAILED IllegalArgumentException"), decode("\rGET / HTTP/1.1\r\n\r\n", 1));
        assertEquals(List.of("FAILED IllegalArgumentException"), decode("\r\n GET / HTTP/1.1\r\n\r\n"));
        assertEquals(List.of("GET / HTTP/1.1", "last ''", "FAILED IllegalArgumentException"),
                decode("GET / HTTP/1.1\r\n\r\n\tGET / HTTP/1.1\r\n\r\n"));
        // As many empty lines as the head's limit holds, not one byte more.
        assertEquals(List.of("GET / HTTP/1.1", "last ''"), decode("\r\n".repeat(LIMIT / 2) + "GET / HTTP/1.1\r\n\r\n"));
        assertEquals(List.of("FAILED IllegalArgumentException"), decode("\r\n".repeat(LIMIT / 2) + "\nGET / HTTP/1.1\r\n\r\n"));
    }

    @Test
    void refusesWhatHaproxyRefusesInTheHead() {
        String[] refused = {
            "GET / HTTP/1.1\nHost: a\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\n\n",
            "GET / HTTP/1.1\r\nX A: b\r\n\r\n",
            "GET / HTTP/1.1\r\nX-A : b\r\n\r\n",
            "GET / HTTP/1.1\r\n: b\r\n\r\n",
            "GET / HTTP/1.1\r\nfoo\r\n\r\n",
            "GET / HTTP/1.1\r\n folded\r\n\r\n",
            "GET / HTTP/1.1\r\nX-A: b\u0001c\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n",
            "GET /\r\n\r\n",
            "GET / HTTP/1.1 \r\n\r\n",
            "GET  \r\n\r\n",
            "G\u0001T / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\u000b\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
            "POST / HTTP/1.1\r\nContent-Length: -3\r\n\r\nabc",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
        };
        for (String head : refused) {
            List<String> seen = decode(head);
            assertEquals(1, seen.size(), head);
            assertTrue(seen.get(0).startsWith("FAILED"), head + " -> " + seen);
        }
    }

    @Test
    void keepsWhatTheChecksAfterItJudge() {
        // Lower-case versions, targets and coding lists are RequestHeadCheck's to refuse (with 400 or 422).
        String lowerCase = "GET /a http/1.1\r\n\r\n";
        ByteBuf head = bytes(lowerCase);
        HttpRequest request = RequestHeadParser.parse(head, 0, head.writerIndex());
        head.release();
        assertEquals(400, RequestHeadCheck.check(request, 101));
        assertEquals("GET /a#f HTTP/1.1", decode("GET /a#f HTTP/1.1\r\n\r\n").get(0));
        assertEquals("GET  /a HTTP/1.1".replace("  ", " "), decode("GET \t /a  HTTP/1.1\r\n\r\n").get(0));
        assertEquals(List.of("POST / HTTP/1.1 [Transfer-Encoding=gzip, chunked]", "body 'a'", "last ''"),
                decode("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n1\r\na\r\n0\r\n\r\n"));
    }

    @Test
    void lengthsAndCodingsAreSettledAsNettyDid() {
        assertEquals(List.of("POST / HTTP/1.1 [content-length=3]", "last 'abc'"),
                decode("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc"));
        assertEquals(List.of("POST / HTTP/1.1 [Content-Length=003]", "last 'abc'"),
                decode("POST / HTTP/1.1\r\nContent-Length: 003\r\n\r\nabc"));
        // Transfer-Encoding wins, the length goes, and the connection will close after the answer.
        assertEquals(List.of("POST / HTTP/1.1 [Transfer-Encoding=chunked] [connection=close]", "last ''"),
                decode("POST / HTTP/1.1\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
        assertEquals(List.of("POST / HTTP/1.1", "last ''"), decode("POST / HTTP/1.1\r\n\r\n"));
        assertEquals(List.of("POST / HTTP/1.1 [Content-Length=0]", "last ''"),
                decode("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n"));
    }

    @Test
    void brokenChunkedBodiesFailTheirLastContent() {
        String head = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        String[] broken = {" 3\r\nabc\r\n0\r\n\r\n", "3 \r\nabc\r\n0\r\n\r\n", "0x3\r\nabc\r\n0\r\n\r\n", "-3\r\n",
            "\r\nabc\r\n", "3\nabc\r\n0\r\n\r\n", "3\r\nabcX0\r\n\r\n", "fffffffffffffffff1\r\n", "3;\r\nabc\r\n",
            "3;a=\r\n", "3;a=\"x\r\n", "0\r\nX-T: 1\n\r\n", "0\r\nBad Name: 1\r\n\r\n"};
        for (String body : broken) {
            List<String> seen = decode(head + body);
            assertEquals("FAILED BODY", seen.get(seen.size() - 1), body + " -> " + seen);
            assertFalse(seen.stream().anyMatch(m -> m.startsWith("last")), body + " -> " + seen);
        }
        assertEquals(List.of("POST / HTTP/1.1 [Transfer-Encoding=chunked]", "body 'abc'", "last ''"),
                decode(head + "3 ; a = b ; c=\"q\\\"d\"\r\nabc\r\n0000\r\n\r\n"));
    }

    @Test
    void limitsAnswer414And431() {
        assertEquals(List.of("FAILED TooLongHttpLineException"), decode("GET /" + "a".repeat(LIMIT) + " HTTP/1.1\r\n\r\n"));
        assertEquals(List.of("FAILED TooLongHttpLineException"), decode("GET /" + "a".repeat(2 * LIMIT)));
        assertEquals(List.of("FAILED TooLongHttpHeaderException"), decode("GET / HTTP/1.1\r\nX: " + "a".repeat(LIMIT) + "\r\n\r\n"));
        String fits = "GET / HTTP/1.1\r\nX: v\r\n\r\n";
        String filled = fits.replace("v", "v".repeat(LIMIT - fits.length() + 1));
        assertEquals(LIMIT, filled.length());
        assertEquals(2, decode(filled).size());
        assertEquals(List.of("FAILED TooLongHttpHeaderException"), decode(filled.replace("X:", "XY:")));
    }

    @Test
    void aHeadCutByTheFinIsRefusedAndEmptyLinesAreNot() {
        for (String cut : new String[] {"GET / HT", "GET / HTTP/1.1\r\nHost: a\r\n"}) {
            Recorder recorder = new Recorder();
            EmbeddedChannel channel = channel(recorder);
            channel.writeInbound(bytes(cut));
            channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            assertEquals(List.of("FAILED PrematureChannelClosureException", "FIN"), recorder.seen, cut);
            channel.finishAndReleaseAll();
        }
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = channel(recorder);
        channel.writeInbound(bytes("GET / HTTP/1.1\r\n\r\n\r\n"));
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertEquals(List.of("GET / HTTP/1.1", "last ''", "FIN"), recorder.seen);
        channel.finishAndReleaseAll();
    }

    private static final String UPGRADE = "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n";

    @Test
    void afterAnUpgradeRequestTheRestIsHeldUntilReadThenDecoded() {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = channel(recorder);
        channel.writeInbound(bytes(UPGRADE + "GET /next HTTP/1.1\r\n\r\n"));
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertEquals(List.of("GET /ws HTTP/1.1 [Upgrade=websocket] [Connection=upgrade]", "last ''"), recorder.seen);
        // The server did not switch: the session asks for the next request.
        channel.read();
        channel.runPendingTasks();
        assertEquals(List.of("GET /ws HTTP/1.1 [Upgrade=websocket] [Connection=upgrade]", "last ''",
                "GET /next HTTP/1.1", "last ''", "FIN"), recorder.seen);
        channel.finishAndReleaseAll();
    }

    @Test
    void afterAnUpgradeTheHeldBytesGoOnRawWhenTheCodecLeaves() {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = channel(recorder);
        channel.writeInbound(bytes(UPGRADE + "\u0081\u0005hello\r\n\r\nGET"));
        channel.writeInbound(bytes("more"));
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        channel.pipeline().remove(ClientCodec.class);
        assertEquals(List.of("GET /ws HTTP/1.1 [Upgrade=websocket] [Connection=upgrade]", "last ''",
                "raw '\u0081\u0005hello\r\n\r\nGETmore'", "FIN"), recorder.seen);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aResponseToHeadHasNoBodyAndAnswersGoInRequestOrder() {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = channel(recorder);
        channel.writeInbound(bytes("HEAD /h HTTP/1.1\r\n\r\nGET /g HTTP/1.1\r\n\r\n"));
        for (int i = 0; i < 2; i++) {
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    bytes("body"));
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 4);
            channel.writeOutbound(response);
        }
        StringBuilder wire = new StringBuilder();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            wire.append(out.toString(StandardCharsets.ISO_8859_1));
            out.release();
        }
        assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nbody",
                wire.toString());
        channel.finishAndReleaseAll();
    }

    @Test
    void moreUnansweredRequestsThanThePipelineDepthEndTheDecoding() {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = channel(recorder);
        channel.writeInbound(bytes("GET / HTTP/1.1\r\n\r\n".repeat(RequestDecoder.MAX_PIPELINE_DEPTH + 5)));
        assertEquals(2 * RequestDecoder.MAX_PIPELINE_DEPTH + 1, recorder.seen.size());
        assertEquals("FAILED IllegalStateException", recorder.seen.get(recorder.seen.size() - 1));
        channel.finishAndReleaseAll();
    }

    @Test
    void theUsualMethodsAreNettysSharedInstances() {
        Recorder recorder = new Recorder();
        List<HttpMethod> methods = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new ClientCodec(LIMIT, LIMIT, 8), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest request) {
                    methods.add(request.method());
                    assertSame(HttpVersion.HTTP_1_1, request.protocolVersion());
                }
                recorder.channelRead(ctx, msg);
            }
        });
        channel.writeInbound(bytes("GET / HTTP/1.1\r\n\r\nDELETE / HTTP/1.1\r\n\r\nBREW / HTTP/1.1\r\n\r\n"));
        assertSame(HttpMethod.GET, methods.get(0));
        assertSame(HttpMethod.DELETE, methods.get(1));
        assertEquals("BREW", methods.get(2).name());
        channel.finishAndReleaseAll();
    }

    /**
     * Mutated requests (bytes replaced, inserted, removed; the bytes HTTP/1 framing turns on) give
     * the same messages whole as cut into random reads, and never throw or leak.
     */
    @Test
    void mutatedRequestsDecodeTheSameWhateverTheReads() {
        String[] seeds = {MIXED, UPGRADE + "GET /x HTTP/1.1\r\n\r\n",
            "POST /a HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3;e=\"q\"\r\nabc\r\n0\r\nT: 1\r\n\r\n",
            "\r\n\nGET /b HTTP/1.0\r\nConnection: keep-alive\r\nX:\r\n  y\r\n\r\n"};
        byte[] interesting = {'\r', '\n', ' ', '\t', ':', ';', '0', 'a', 'F', 0, 0x7f, (byte) 0x81, '"', '\\', ','};
        java.util.Random random = new java.util.Random(20261206);
        for (int round = 0; round < 3000; round++) {
            StringBuilder text = new StringBuilder(seeds[random.nextInt(seeds.length)]);
            for (int m = random.nextInt(4) + 1; m > 0 && text.length() > 1; m--) {
                int at = random.nextInt(text.length());
                char c = (char) (interesting[random.nextInt(interesting.length)] & 0xff);
                switch (random.nextInt(3)) {
                    case 0 -> text.setCharAt(at, c);
                    case 1 -> text.insert(at, c);
                    default -> text.deleteCharAt(at);
                }
            }
            String input = text.toString();
            int[] cuts = random.ints(random.nextInt(6), 1, Math.max(2, input.length())).sorted().distinct().toArray();
            assertEquals(merged(decode(input)), merged(decode(input, cuts)), () -> "cut at " + java.util.Arrays.toString(cuts)
                    + ": " + input.replace("\r", "\\r").replace("\n", "\\n"));
        }
    }
}
