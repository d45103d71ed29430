package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.DistributionProcess;
import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.OpensslCertificates;
import io.luagate.e2e.support.TestUpstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 on client connections, cleartext with prior knowledge ({@code proto = h2} on a bind) and
 * chosen by ALPN on a TLS bind, spoken by Debian's curl (nghttp2): each stream is one request through the same rules, Lua and
 * upstream forwarding as HTTP/1.1; the server gets HTTP/1.1.
 */
class Http2IT {

    private static final String CONFIG = """
            global.threads = 1
            log.target = none
            frontends.fe { bind = [ { address = "127.0.0.1:0", proto = h2 } ], default-backend = be %s }
            backends.be { servers { s = "%s" } }
            """;

    @TempDir
    Path dir;

    @Test
    void aStreamIsForwardedAsAnHttp11Request() throws Exception {
        try (TestUpstream up = TestUpstream.named("up");
             InProcessProxy proxy = InProcessProxy.start(CONFIG.formatted("", up.address()))) {
            String out = curl("-w", "\n%{http_version} %{response_code}", url(proxy, "/h2?x=1"));
            assertEquals("up /h2?x=1\n2 200", out);
            Http.Message received = up.connections().get(0).requests.get(0);
            assertEquals("GET /h2?x=1 HTTP/1.1", received.startLine());
            assertEquals("127.0.0.1:" + proxy.port("fe"), received.header("host"));
            assertTrue(received.headers().keySet().stream().noneMatch(n -> n.toLowerCase().startsWith("x-http2")),
                    () -> "Netty's bookkeeping headers reached the server: " + received.headers());
        }
    }

    @Test
    void aRequestBodyLargerThanTheWindowArrivesWhole() throws Exception {
        byte[] body = new byte[300_000];
        new Random(7).nextBytes(body);
        Path file = Files.write(dir.resolve("body"), body);
        try (TestUpstream up = TestUpstream.named("up");
             InProcessProxy proxy = InProcessProxy.start(CONFIG.formatted("", up.address()))) {
            String out = curl("-o", "/dev/null", "-w", "%{response_code}", "--data-binary", "@" + file, url(proxy, "/upload"));
            assertEquals("200", out);
            Http.Message received = up.connections().get(0).requests.get(0);
            assertEquals("POST /upload HTTP/1.1", received.startLine());
            assertArrayEquals(body, received.body());
        }
    }

    @Test
    void aResponseLargerThanTheWindowArrivesWhole() throws Exception {
        byte[] body = new byte[1_000_000];
        new Random(9).nextBytes(body);
        try (TestUpstream up = TestUpstream.with("up", (request, connection, out) -> {
                 TestUpstream.respond(out, 200, Map.of("content-type", "application/octet-stream"), body);
                 return true;
             });
             InProcessProxy proxy = InProcessProxy.start(CONFIG.formatted("", up.address()))) {
            Path file = dir.resolve("down");
            String out = curl("-o", file.toString(), "-w", "%{http_version} %{response_code}", url(proxy, "/big"));
            assertEquals("2 200", out);
            assertArrayEquals(body, Files.readAllBytes(file));
        }
    }

    /**
     * Over TLS, where curl learns from ALPN that it may multiplex (with prior knowledge, curl 7.88
     * fails its own parallel streams with "Error in the HTTP2 framing layer", against HAProxy too).
     */
    @Test
    void manyStreamsShareOneConnection() throws Exception {
        OpensslCertificates pki = new OpensslCertificates(dir);
        pki.issue("www.pem", "/CN=www.example.com", 30, "subjectAltName=DNS:www.example.com", "01");
        try (TestUpstream up = TestUpstream.named("up");
             InProcessProxy proxy = InProcessProxy.start("""
                     global.threads = 1
                     log.target = none
                     frontends.fe { bind = [ { address = "127.0.0.1:0", ssl = true, crt = "%s/www.pem", alpn = [ "h2" ] } ]
                                    default-backend = be }
                     backends.be { servers { s = "%s" } }
                     """.formatted(dir, up.address()))) {
            int port = proxy.port("fe");
            List<String> args = new ArrayList<>(List.of("-s", "-S", "--max-time", "20", "--cacert", pki.ca().toString(),
                    "--resolve", "www.example.com:" + port + ":127.0.0.1", "--http2", "--parallel", "--parallel-max", "40",
                    "-w", "%{http_version} %{response_code} %{num_connects}\\n"));
            for (int i = 0; i < 40; i++) {
                args.addAll(List.of("-o", "/dev/null", "https://www.example.com:" + port + "/s" + i));
            }
            String[] lines = curlRaw(args.toArray(String[]::new)).split("\n");
            assertEquals(40, lines.length);
            int connects = 0;
            for (String line : lines) {
                String[] words = line.split(" ");
                assertEquals("2", words[0], line);
                assertEquals("200", words[1], line);
                connects += Integer.parseInt(words[2]);
            }
            assertEquals(1, connects, "curl multiplexes every stream over one connection");
            assertEquals(40, up.requestCount());
        }
    }

    @Test
    void rulesSeeAnHttp2RequestAndAnswerOnItsStream() throws Exception {
        String rules = """
                , http-request = [
                  "deny if { path /forbidden }"
                  "return status 200 content-type text/plain lf-string \\"%[req.ver] %[method] %[path] %[req.hdr(host)]\\" if { path /echo }"
                ]""";
        try (TestUpstream up = TestUpstream.named("up");
             InProcessProxy proxy = InProcessProxy.start(CONFIG.formatted(rules, up.address()))) {
            String out = curl("--parallel", "--parallel-immediate", "-w", "\n%{response_code}\n",
                    url(proxy, "/forbidden"), url(proxy, "/echo"), url(proxy, "/passed"));
            assertTrue(out.contains("\n403\n"), out);
            assertTrue(out.contains("2.0 GET /echo 127.0.0.1:" + proxy.port("fe") + "\n200\n"), out);
            assertTrue(out.contains("up /passed\n200\n"), out);
            assertEquals(1, up.requestCount());
        }
    }

    @Test
    void aLuaServiceAnswersOverHttp2() throws Exception {
        Path script = Files.writeString(dir.resolve("svc.lua"), """
                core.register_service("hello", "http", function(applet)
                  -- HAProxy's applet.version is the whole token: HTTP/2.0 here, HTTP/1.1 over HTTP/1.1.
                  local body = "hello " .. applet.path .. " " .. applet.version
                  applet:set_status(201)
                  applet:add_header("content-length", #body)
                  applet:start_response()
                  applet:send(body)
                end)
                """);
        String config = """
                global.threads = 1
                log.target = none
                lua.load = ["%s"]
                frontends.fe { bind = [ { address = "127.0.0.1:0", proto = h2 } ], http-request = ["use-service lua.hello"] }
                """.formatted(script);
        try (InProcessProxy proxy = InProcessProxy.start(config)) {
            assertEquals("hello /svc HTTP/2.0\n201", curl("-w", "\n%{response_code}", url(proxy, "/svc")));
        }
    }

    @Test
    void anHttp11ClientOnAnH2BindIsRefused() throws Exception {
        try (TestUpstream up = TestUpstream.named("up");
             InProcessProxy proxy = InProcessProxy.start(CONFIG.formatted("", up.address()))) {
            // Not the HTTP/2 preface: the connection is closed (HAProxy answers with a GOAWAY frame too).
            String out = curlRaw("--http1.1", "-s", "-o", "/dev/null", "-w", "%{response_code}", url(proxy, "/"));
            assertEquals("000", out.strip());
            assertEquals(0, up.requestCount());
            assertFalse(up.connectionCount() > 0);
        }
    }

    @Test
    void alpnChoosesHttp2OrHttp11OnATlsBind() throws Exception {
        OpensslCertificates pki = new OpensslCertificates(dir);
        pki.issue("www.pem", "/CN=www.example.com", 30, "subjectAltName=DNS:www.example.com", "01");
        String config = """
                global.threads = 1
                log.target = none
                frontends.fe {
                  bind = [ { address = "127.0.0.1:0", ssl = true, crt = "%s/www.pem", alpn = [ "h2", "http/1.1" ] } ]
                  http-request = [ "return status 200 content-type text/plain lf-string \\"%%[req.ver] %%[ssl_fc_alpn]\\"" ]
                }
                """.formatted(dir);
        try (InProcessProxy proxy = InProcessProxy.start(config)) {
            int port = proxy.port("fe");
            List<String> base = List.of("-s", "-S", "--max-time", "20", "--cacert", pki.ca().toString(),
                    "--resolve", "www.example.com:" + port + ":127.0.0.1", "-w", "\n%{http_version}");
            String url = "https://www.example.com:" + port + "/";
            List<String> h2 = new ArrayList<>(base);
            h2.addAll(List.of("--http2", url));
            assertEquals("2.0 h2\n2", curlRaw(h2.toArray(String[]::new)));
            List<String> h1 = new ArrayList<>(base);
            h1.addAll(List.of("--http1.1", url));
            assertEquals("1.1 http/1.1\n1.1", curlRaw(h1.toArray(String[]::new)));
        }
    }

    @Test
    void anIdleConnectionIsEndedWithGoawayAfterTimeoutClient() throws Exception {
        String config = """
                global.threads = 1
                log.target = none
                frontends.fe { bind = [ { address = "127.0.0.1:0", proto = h2 } ], timeout.client = 1s
                               http-request = [ "return status 200" ] }
                """;
        try (InProcessProxy proxy = InProcessProxy.start(config);
             java.net.Socket socket = new java.net.Socket("127.0.0.1", proxy.port("fe"))) {
            socket.setSoTimeout(10_000);
            // The client preface and an empty SETTINGS frame, then nothing.
            socket.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
            long start = System.nanoTime();
            byte[] received = socket.getInputStream().readAllBytes();
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waited >= 900, "closed after " + waited + " ms, before timeout.client");
            List<Integer> types = new ArrayList<>();
            for (int i = 0; i + 9 <= received.length; ) {
                int length = (received[i] & 0xff) << 16 | (received[i + 1] & 0xff) << 8 | received[i + 2] & 0xff;
                types.add(received[i + 3] & 0xff);
                i += 9 + length;
            }
            assertTrue(types.contains(7), "no GOAWAY frame among " + types);
        }
    }

    /** HTTP/2 rapid reset (CVE-2023-44487): streams opened and cancelled at once cost the client its connection. */
    @Test
    void rapidResetLosesTheConnection() throws Exception {
        try (TestUpstream up = TestUpstream.named("up");
             InProcessProxy proxy = InProcessProxy.start(CONFIG.formatted("", up.address()));
             java.net.Socket socket = new java.net.Socket("127.0.0.1", proxy.port("fe"))) {
            socket.setSoTimeout(10_000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.write(frame(4, 0, 0, new byte[0]));
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            for (String[] header : new String[][] {{":method", "GET"}, {":scheme", "http"}, {":path", "/"}, {":authority", "x"}}) {
                // HPACK literal header field without indexing, new name, no Huffman.
                block.write(0);
                block.write(header[0].length());
                block.write(header[0].getBytes(StandardCharsets.ISO_8859_1));
                block.write(header[1].length());
                block.write(header[1].getBytes(StandardCharsets.ISO_8859_1));
            }
            for (int stream = 1; stream < 2 * 300; stream += 2) {
                out.write(frame(1, 0x4 | 0x1, stream, block.toByteArray()));
                out.write(frame(3, 0, stream, new byte[] {0, 0, 0, 8}));
            }
            try {
                socket.getOutputStream().write(out.toByteArray());
            } catch (IOException e) {
                // Closed on us before all of it was written: read what it said.
            }
            byte[] received;
            try {
                received = socket.getInputStream().readAllBytes();
            } catch (IOException reset) {
                received = new byte[0];
            }
            int goawayCode = -1;
            for (int i = 0; i + 9 <= received.length; ) {
                int length = (received[i] & 0xff) << 16 | (received[i + 1] & 0xff) << 8 | received[i + 2] & 0xff;
                if ((received[i + 3] & 0xff) == 7 && i + 17 <= received.length) {
                    goawayCode = java.nio.ByteBuffer.wrap(received, i + 13, 4).getInt();
                }
                i += 9 + length;
            }
            assertEquals(0xb, goawayCode, "GOAWAY ENHANCE_YOUR_CALM expected");
            assertTrue(up.requestCount() < 300, "every cancelled stream reached the server");
        }
    }

    private static byte[] frame(int type, int flags, int stream, byte[] payload) {
        java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(9 + payload.length);
        frame.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
        frame.put((byte) type).put((byte) flags).putInt(stream).put(payload);
        return frame.array();
    }

    @Test
    void checkRefusesProtoH2WhereTheModeDoesNotSpeakIt() throws Exception {
        Path config = InProcessProxy.writeConfig("""
                frontends.fe { mode = tcp, bind = [ { address = "127.0.0.1:0", proto = h2 } ], default-backend = be }
                backends.be { mode = tcp, servers { s = "127.0.0.1:1" } }
                """);
        DistributionProcess check = DistributionProcess.run(InProcessProxy.distribution(), "check", "-c", config.toString());
        assertEquals(1, check.exitValue(), check.output());
        assertTrue(check.output().contains(config + ":1: frontends.fe.bind.proto: \"h2\" is not spoken by mode tcp"),
                check.output());
    }

    private static String url(InProcessProxy proxy, String path) {
        return "http://127.0.0.1:" + proxy.port("fe") + path;
    }

    private static String curl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("-s", "-S", "--http2-prior-knowledge", "--max-time", "20"));
        command.addAll(List.of(args));
        return curlRaw(command.toArray(String[]::new));
    }

    private static String curlRaw(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl"));
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
