package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.DistributionProcess;
import io.luagate.e2e.support.H2Origin;
import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.OpensslCertificates;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 toward servers ({@code proto = h2}, cleartext with prior knowledge): Debian's curl and raw
 * HTTP/1.1 sockets through luagate to a Netty HTTP/2 origin; translation both ways, streams of many
 * clients multiplexed on one connection, GOAWAY and REFUSED_STREAM retried on a new connection, a
 * reset mid-body never delivered as complete, a server that does not speak HTTP/2 failing the connect.
 */
class Http2UpstreamIT {

    private static final String CONFIG = """
            global.threads = 1
            log.target = none
            frontends.fe { bind = [ "127.0.0.1:0" ], default-backend = be }
            frontends.fe2 { bind = [ { address = "127.0.0.1:0", proto = h2 } ], default-backend = be }
            backends.be { servers { s = { address = "%s", proto = h2 } } %s }
            """;

    @Test
    void anHttp2ClientIsForwardedOnAStreamOfTheServer() throws Exception {
        try (H2Origin origin = H2Origin.cleartext();
             InProcessProxy proxy = InProcessProxy.start(CONFIG.formatted(origin.address(), ""))) {
            String out = curl("--http2-prior-knowledge", "-w", "\n%{http_version} %{response_code}",
                    "http://127.0.0.1:" + proxy.port("fe2") + "/a?b=1");
            assertEquals("conn=1 GET /a?b=1 127.0.0.1:" + proxy.port("fe2") + "\n\n2 200", out);
            H2Origin.Stream stream = origin.streams().get(0);
            assertEquals("http", stream.head.scheme().toString());
            assertTrue(stream.head.names().stream().noneMatch(n -> n.toString().startsWith("x-http2")), stream.head::toString);
        }
    }

    @Test
    void anHttp11RequestLosesItsHopByHopHeadersAndKeepsItsBodyAndTrailers() throws Exception {
        try (H2Origin origin = H2Origin.cleartext();
             InProcessProxy proxy = InProcessProxy.start(CONFIG.formatted(origin.address(), ""));
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("POST /up HTTP/1.1\r\nHost: app.example\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\n"
                    + "Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers, deflate\r\nX-Kept: yes\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 11\r\n\r\n");
            Http.Message response = client.read();
            assertEquals(200, response.status());
            assertEquals("conn=1 POST /up app.example\n", response.bodyText());
            H2Origin.Stream stream = origin.streams().get(0);
            assertEquals("app.example", stream.head.authority().toString());
            assertEquals("yes", stream.header("x-kept"));
            assertEquals("trailers", stream.header("te"));
            for (String gone : List.of("host", "connection", "x-hop", "keep-alive", "proxy-connection", "transfer-encoding")) {
                assertNull(stream.header(gone), gone + " reached the server: " + stream.head);
            }
            assertEquals("hello world", stream.body.toString(StandardCharsets.UTF_8));
            assertEquals("11", stream.trailers.get("x-sum").toString());
        }
    }

    @Test
    void aResponseWithoutLengthReachesAnHttp11ClientChunkedWithItsTrailers() throws Exception {
        try (H2Origin origin = H2Origin.cleartext(100, (ctx, stream, frame) -> {
                 if (stream.ended) {
                     ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200").set("x-server", "h2")));
                     ctx.write(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("part1,", StandardCharsets.UTF_8)));
                     ctx.write(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("part2", StandardCharsets.UTF_8)));
                     ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().set("x-checksum", "42"), true));
                 }
             });
             InProcessProxy proxy = InProcessProxy.start(CONFIG.formatted(origin.address(), ""));
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("GET /t HTTP/1.1\r\nHost: x\r\n\r\n");
            String raw = readUntil(client.in(), "\r\n\r\n", 2);
            assertTrue(raw.startsWith("HTTP/1.1 200"), raw);
            assertTrue(raw.toLowerCase().contains("transfer-encoding: chunked"), raw);
            assertTrue(raw.contains("x-server: h2"), raw);
            String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
            assertEquals("part1,part2", dechunk(body), raw);
            assertTrue(body.endsWith("\r\n0\r\nx-checksum: 42\r\n\r\n"), raw);
            // The client's connection goes on.
            client.send("GET /again HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(readUntil(client.in(), "\r\n\r\n", 2).endsWith("x-checksum: 42\r\n\r\n"));
        }
    }

    @Test
    void manyClientsShareOneServerConnection() throws Exception {
        try (H2Origin origin = H2Origin.cleartext(100, (ctx, stream, frame) -> {
                 if (stream.ended) {
                     // Answered a little later, so the streams overlap.
                     ctx.executor().schedule(() -> H2Origin.answer(ctx, stream, frame), 300, TimeUnit.MILLISECONDS);
                 }
             });
             InProcessProxy proxy = InProcessProxy.start(CONFIG.formatted(origin.address(), ", http-reuse = always"))) {
            // No warm-up: the streams that come while the first connection is being made wait for it.
            String url = "http://127.0.0.1:" + proxy.port("fe") + "/";
            List<String> args = new ArrayList<>(List.of("--http1.1", "--parallel", "--parallel-immediate", "--parallel-max", "30",
                    "-w", "%{response_code}\\n"));
            for (int i = 0; i < 30; i++) {
                args.addAll(List.of("-o", "/dev/null", url + "p" + i));
            }
            String out = curl(args.toArray(String[]::new));
            assertEquals("200\n".repeat(30), out);
            assertEquals(30, origin.streams().size());
            assertEquals(1, origin.connections(), "every stream went over one connection to the server");
            assertTrue(origin.maxConcurrent() > 1, "streams were multiplexed: " + origin.maxConcurrent());
        }
    }

    @Test
    void theServersStreamLimitOpensAnotherConnection() throws Exception {
        try (H2Origin origin = H2Origin.cleartext(2, (ctx, stream, frame) -> {
                 if (stream.ended) {
                     ctx.executor().schedule(() -> H2Origin.answer(ctx, stream, frame), 300, TimeUnit.MILLISECONDS);
                 }
             });
             InProcessProxy proxy = InProcessProxy.start(CONFIG.formatted(origin.address(), ", http-reuse = always"))) {
            String url = "http://127.0.0.1:" + proxy.port("fe") + "/";
            assertEquals("200", curl("--http1.1", "-o", "/dev/null", "-w", "%{response_code}", url + "first"));
            List<String> args = new ArrayList<>(List.of("--http1.1", "--parallel", "--parallel-immediate", "--parallel-max", "6",
                    "-w", "%{response_code}\\n"));
            for (int i = 0; i < 6; i++) {
                args.addAll(List.of("-o", "/dev/null", url + "p" + i));
            }
            assertEquals("200\n".repeat(6), curl(args.toArray(String[]::new)));
            assertTrue(origin.maxConcurrent() <= 6);
            assertTrue(origin.connections() >= 3, "2 streams per connection at most: " + origin.connections());
        }
    }

    @Test
    void aStreamResetMidBodyNeverReachesTheClientAsComplete(@TempDir Path dir) throws Exception {
        try (H2Origin origin = H2Origin.cleartext(100, (ctx, stream, frame) -> {
                 if (stream.ended) {
                     ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")));
                     ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("half", StandardCharsets.UTF_8)));
                     ctx.executor().schedule(() -> ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR)),
                             200, TimeUnit.MILLISECONDS);
                 }
             });
             InProcessProxy proxy = InProcessProxy.start(CONFIG.formatted(origin.address(), "")
                     .replace("log.target = none", "log.target = \"" + dir.resolve("access.log") + "\"")
                     .replace("default-backend = be }", "default-backend = be, log-format = \"%ts %ST %B\" }"));
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("GET /cut HTTP/1.1\r\nHost: x\r\n\r\n");
            String raw = readAll(client.in());
            assertTrue(raw.startsWith("HTTP/1.1 200"), raw);
            assertTrue(raw.endsWith("4\r\nhalf\r\n"), "the chunked body stops where the server stopped: " + raw);
            assertFalse(raw.contains("\r\n0\r\n"), raw);
            Path log = dir.resolve("access.log");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((!Files.exists(log) || Files.readString(log).isEmpty()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(Files.readString(log).startsWith("SD 200 "), "a server abort once the body was under way: "
                    + Files.readString(log));
        }
    }

    /**
     * {@code http-reuse safe}: a client's first request opens a connection of its own; its later
     * requests may join any. {@code never}: only a client's own streams share its connection.
     */
    @Test
    void httpReuseDecidesWhichStreamsShareAConnection() throws Exception {
        for (String reuse : List.of("safe", "never")) {
            try (H2Origin origin = H2Origin.cleartext();
                 InProcessProxy proxy = InProcessProxy.start(CONFIG.formatted(origin.address(), ", http-reuse = " + reuse));
                 TestClient first = new TestClient(proxy.port("fe"));
                 TestClient second = new TestClient(proxy.port("fe"))) {
                assertEquals("conn=1 GET /1 test\n", first.get("/1").bodyText(), reuse);
                assertEquals("conn=2 GET /2 test\n", second.get("/2").bodyText(), reuse);
                String third = second.get("/3").bodyText();
                String fourth = first.get("/4").bodyText();
                if (reuse.equals("never")) {
                    assertEquals("conn=2 GET /3 test\n", third, "a client's own connection only");
                    assertEquals("conn=1 GET /4 test\n", fourth, "a client's own connection only");
                } else {
                    assertTrue(third.matches("conn=[12] GET /3 test\n"), third);
                    assertTrue(fourth.matches("conn=[12] GET /4 test\n"), fourth);
                }
                try (TestClient another = new TestClient(proxy.port("fe"))) {
                    assertEquals("conn=3 GET /5 test\n", another.get("/5").bodyText(), "a first request: a new connection");
                }
                assertEquals(3, origin.connections());
            }
        }
    }

    @Test
    void aGoAwayMakesTheUnprocessedStreamGoToANewConnection() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        try (H2Origin origin = H2Origin.cleartext(100, (ctx, stream, frame) -> {
                 if (frame instanceof Http2HeadersFrame && stream.connection == 1 && seen.incrementAndGet() == 2) {
                     // The second stream of the first connection: the server goes away having processed only the first.
                     ChannelHandlerContext codec = ctx.channel().parent().pipeline().context(Http2FrameCodec.class);
                     ((Http2FrameCodec) codec.handler()).goAway(codec, 1, Http2Error.NO_ERROR.code(), Unpooled.EMPTY_BUFFER,
                             codec.newPromise());
                     codec.flush();
                     return;
                 }
                 H2Origin.answer(ctx, stream, frame);
             });
             InProcessProxy proxy = InProcessProxy.start(CONFIG.formatted(origin.address(), ", http-reuse = always"))) {
            String url = "http://127.0.0.1:" + proxy.port("fe") + "/";
            assertEquals("conn=1 GET /one 127.0.0.1:" + proxy.port("fe") + "\n", curl("--http1.1", url + "one"));
            assertEquals("conn=2 GET /two 127.0.0.1:" + proxy.port("fe") + "\n", curl("--http1.1", url + "two"));
            assertEquals("conn=2 GET /three 127.0.0.1:" + proxy.port("fe") + "\n", curl("--http1.1", url + "three"));
            assertEquals(2, origin.connections());
        }
    }

    @Test
    void aRefusedStreamIsSentAgainOnANewConnection() throws Exception {
        AtomicBoolean refused = new AtomicBoolean();
        try (H2Origin origin = H2Origin.cleartext(100, (ctx, stream, frame) -> {
                 if (frame instanceof Http2HeadersFrame && stream.connection == 1 && refused.compareAndSet(false, true)) {
                     ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM));
                     return;
                 }
                 H2Origin.answer(ctx, stream, frame);
             });
             InProcessProxy proxy = InProcessProxy.start(CONFIG.formatted(origin.address(), ""))) {
            String url = "http://127.0.0.1:" + proxy.port("fe") + "/";
            assertEquals("conn=2 GET /r 127.0.0.1:" + proxy.port("fe") + "\n", curl("--http1.1", url + "r"));
            assertEquals(2, origin.connections());
        }
    }

    @Test
    void aServerThatDoesNotSpeakHttp2FailsTheConnect() throws Exception {
        try (TestUpstream up = TestUpstream.named("h1");
             InProcessProxy proxy = InProcessProxy.start(CONFIG.formatted(up.address(), ", retries = 1"))) {
            assertEquals("503", curl("--http1.1", "-o", "/dev/null", "-w", "%{response_code}",
                    "http://127.0.0.1:" + proxy.port("fe") + "/"));
        }
    }

    /**
     * TLS with ALPN: the server chose h2, so the streams are multiplexed; the SNI is part of the key,
     * so two names never share a connection even under http-reuse always, while each name's
     * requests share one.
     */
    @Test
    void overTlsAlpnChoosesHttp2AndEachSniHasItsOwnConnection(@TempDir Path dir) throws Exception {
        OpensslCertificates pki = new OpensslCertificates(dir);
        Path pem = pki.issue("origin.pem", "/CN=a.example.com", 30, "subjectAltName=DNS:a.example.com,DNS:b.example.com", "21");
        try (H2Origin origin = H2Origin.tls(pem, H2Origin::answer);
             InProcessProxy proxy = InProcessProxy.start("""
                     global.threads = 1
                     log.target = none
                     frontends.fe { bind = [ "127.0.0.1:0" ], default-backend = be }
                     backends.be {
                       servers { s = { address = "%s", ssl = true, ca-file = "%s", sni = "req.hdr(x-sni)",
                                       alpn = [ "h2", "http/1.1" ] } }
                       http-reuse = always
                       http-response = [ "set-header x-alpn %%[ssl_bc_alpn]" ]
                     }
                     """.formatted(origin.address(), pki.ca()))) {
            String url = "http://127.0.0.1:" + proxy.port("fe") + "/";
            List<String> seen = new ArrayList<>();
            for (String name : List.of("a.example.com", "b.example.com", "a.example.com", "b.example.com")) {
                String out = curl("--http1.1", "-H", "x-sni: " + name, "-H", "host: " + name, "-D", "-", url + name);
                seen.add(out.lines().filter(l -> l.startsWith("conn=") || l.toLowerCase().startsWith("x-alpn"))
                        .reduce((x, y) -> x + " | " + y).orElse(out));
            }
            assertEquals(List.of("x-alpn: h2 | conn=1 GET /a.example.com a.example.com",
                    "x-alpn: h2 | conn=2 GET /b.example.com b.example.com",
                    "x-alpn: h2 | conn=1 GET /a.example.com a.example.com",
                    "x-alpn: h2 | conn=2 GET /b.example.com b.example.com"), seen);
            assertEquals(2, origin.connections());
            assertEquals("a.example.com", origin.sni(1));
            assertEquals("b.example.com", origin.sni(2));
            assertEquals("https", origin.streams().get(0).head.scheme().toString());
        }
    }

    /** Bodies larger than HTTP/2's windows cross whole both ways: flow control, not buffering. */
    @Test
    void bodiesLargerThanTheWindowsCrossWhole(@TempDir Path dir) throws Exception {
        byte[] down = new byte[1_000_000];
        new Random(3).nextBytes(down);
        byte[] up = new byte[700_000];
        new Random(4).nextBytes(up);
        Path upload = Files.write(dir.resolve("up"), up);
        try (H2Origin origin = H2Origin.cleartext(100, (ctx, stream, frame) -> {
                 if (!stream.ended) {
                     return;
                 }
                 if (stream.head.method().toString().equals("POST")) {
                     H2Origin.respond(ctx, 200, "got " + stream.body.size());
                     return;
                 }
                 ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")));
                 for (int at = 0; at < down.length; at += 16_384) {
                     int end = Math.min(down.length, at + 16_384);
                     ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(down, at, end - at), end == down.length));
                 }
                 ctx.flush();
             });
             InProcessProxy proxy = InProcessProxy.start(CONFIG.formatted(origin.address(), ""))) {
            String url = "http://127.0.0.1:" + proxy.port("fe") + "/";
            assertEquals("got 700000", curl("--http1.1", "--data-binary", "@" + upload, url + "up"));
            assertArrayEquals(up, origin.streams().get(0).body.toByteArray());
            Path file = dir.resolve("down");
            assertEquals("200", curl("--http1.1", "-o", file.toString(), "-w", "%{response_code}", url + "down"));
            assertArrayEquals(down, Files.readAllBytes(file));
            Path h2file = dir.resolve("down2");
            assertEquals("200", curl("--http2-prior-knowledge", "-o", h2file.toString(), "-w", "%{response_code}",
                    "http://127.0.0.1:" + proxy.port("fe2") + "/down"));
            assertArrayEquals(down, Files.readAllBytes(h2file));
        }
    }

    @Test
    void checkRefusesProtoH2OnAServerWhereTheModeDoesNotSpeakIt() throws Exception {
        Path config = InProcessProxy.writeConfig("""
                frontends.fe { mode = tcp, bind = [ "127.0.0.1:0" ], default-backend = be }
                backends.be { mode = tcp, servers { s = { address = "127.0.0.1:1",
                  proto = h2 } } }
                """);
        DistributionProcess check = DistributionProcess.run(InProcessProxy.distribution(), "check", "-c", config.toString());
        assertEquals(1, check.exitValue(), check.output());
        assertTrue(check.output().contains(config + ":2: backends.be.servers.s.proto: \"h2\" is not spoken to servers by mode tcp"),
                check.output());
    }

    private static String readUntil(InputStream in, String end, int times) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int found = 0;
        while (found < times) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            out.write(b);
            String text = out.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith(end)) {
                found++;
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** The data of a chunked body (up to its last chunk). */
    private static String dechunk(String chunked) {
        StringBuilder data = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol), 16);
            if (size == 0) {
                return data.toString();
            }
            data.append(chunked, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    static String curl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-S", "--max-time", "20"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = process.getInputStream()) {
            in.transferTo(out);
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "curl did not end");
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
