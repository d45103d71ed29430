package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Protocol edge cases found in review, each reproduced with exact bytes: interim responses,
 * broken messages from either side, CONNECT, slow readers and stalled uploads.
 */
class ProtocolEdgesIT {

    /** An upstream that answers every request with {@code raw}, then keeps the connection. */
    private static TestUpstream answering(String raw) throws IOException {
        return TestUpstream.with("raw", (request, connection, out) -> {
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return true;
        });
    }

    /**
     * A stop with connections caught mid-request (a head cut short, a body under way, requests
     * held behind an Upgrade) closes them on their loops before the loops end: no buffer is left
     * unreleased (the class's leak check fails otherwise).
     */
    @Test
    void stoppingWithConnectionsMidRequestLeavesNoBufferBehind() throws Exception {
        String[] partial = {
            "GET / HTTP/1.1\r\nhost: x\r\nx-a: bbbbbbbbbbbbbbbbbbbbbbbb",
            "POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\nabc",
            "POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n5\r\nab",
            "GET / HTTP/1.1\r\nhost: x\r\nupgrade: foo\r\nconnection: upgrade\r\n\r\nGET /2 HTTP/1.1\r\nhost: x\r\nx-b: c",
        };
        java.util.List<Socket> sockets = new java.util.ArrayList<>();
        try (TestUpstream up = TestUpstream.named("up")) {
            InProcessProxy proxy = InProcessProxy.start(InProcessProxy.oneBackend(up.address(), ""));
            try {
                for (String bytes : partial) {
                    Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port("fe"));
                    sockets.add(socket);
                    socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
                }
                Thread.sleep(300);
            } finally {
                proxy.close();
            }
            for (Socket socket : sockets) {
                socket.setSoTimeout(5_000);
                InputStream in = socket.getInputStream();
                try (socket) {
                    // Closed by the stop, after whatever was answered before it.
                    while (in.read() >= 0) {
                        // drain
                    }
                } catch (IOException reset) {
                    // A reset is a close too.
                }
            }
        }
    }

    @Test
    void continueThenFinalResponseOnTheSameConnection() throws Exception {
        try (TestUpstream up = answering("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
             InProcessProxy proxy = InProcessProxy.start(InProcessProxy.oneBackend(up.address(), ""));
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("POST /u HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc");
            assertEquals(100, client.readHead().status());
            Http.Message response = client.read();
            assertEquals(200, response.status());
            assertEquals("ok", response.bodyText());
            client.send("POST /u HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc");
            assertEquals(100, client.readHead().status());
            assertEquals("ok", client.read().bodyText(), "the connection is still in step");
        }
    }

    @Test
    void invalidStatusLineGives502AndNothingElse() throws Exception {
        try (TestUpstream bad = answering("HTTP/1.1 abc OK\r\n\r\n");
             TestUpstream good = TestUpstream.named("good");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = bad,
                                    use-backend = [ "good if { path /good }" ] }
                     backends.bad { servers { s = "%s" } }
                     backends.good { servers { s = "%s" } }
                     """.formatted(bad.address(), good.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            assertEquals(502, client.get("/bad").status());
            Http.Message next = client.get("/good");
            assertEquals(200, next.status(), "no stray bytes before the next response");
            assertEquals("good /good", next.bodyText());
        }
    }

    @Test
    void brokenChunkedResponseAbortsAndIsNeverPooled() throws Exception {
        try (TestUpstream up = TestUpstream.with("chunks", (request, connection, out) -> {
                 if (request.target().equals("/broken")) {
                     out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n".getBytes());
                 } else {
                     TestUpstream.respond(out, 200, Map.of(), "fine".getBytes());
                 }
                 out.flush();
                 return true;
             });
             InProcessProxy proxy = InProcessProxy.start(InProcessProxy.oneBackend(up.address(), "http-reuse = always"))) {
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                client.send("GET /broken HTTP/1.1\r\nHost: t\r\n\r\n");
                assertEquals(200, client.readHead().status());
                byte[] rest = client.in().readAllBytes();
                String text = new String(rest, StandardCharsets.ISO_8859_1);
                assertTrue(!text.endsWith("0\r\n\r\n"), "a broken body must not end like a complete one: " + text);
            }
            try (TestClient other = new TestClient(proxy.port("fe"))) {
                assertEquals("fine", other.get("/fine").bodyText());
            }
            assertEquals(2, up.connectionCount(), "the broken connection was not reused");
        }
    }

    @Test
    void brokenChunkedRequestGets400() throws Exception {
        try (TestUpstream up = TestUpstream.named("up");
             InProcessProxy proxy = InProcessProxy.start(InProcessProxy.oneBackend(up.address(), ""));
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("POST /x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n\r\n");
            Http.Message response = client.read();
            assertEquals(400, response.status());
            assertTrue(client.closedByServer(2000));
            assertEquals(0, up.connections().stream().mapToInt(c -> c.requests.size()).sum(),
                    "the server never saw the truncated request as complete");
        }
    }

    @Test
    void connectIsRefusedWith501() throws Exception {
        try (TestUpstream up = TestUpstream.named("up");
             InProcessProxy proxy = InProcessProxy.start(InProcessProxy.oneBackend(up.address(), ""));
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
            assertEquals(501, client.read().status());
            assertEquals(0, up.requestCount());
        }
    }

    @Test
    void bodyArrivingAfterAProxyAnswerIsReadAndTheConnectionGoesOn() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (InProcessProxy proxy = InProcessProxy.start(InProcessProxy.oneBackend("127.0.0.1:" + port, "retries = 0"));
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\n");
            Thread.sleep(200);
            client.send("hello");
            assertEquals(503, client.read().status());
            client.send("GET /b HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(503, client.read().status(), "the next request is read and answered");
        }
    }

    @Test
    void aClientThatStopsReadingIsDisconnectedAfterTimeoutClient() throws Exception {
        try (TestUpstream big = TestUpstream.with("big", (request, connection, out) -> {
                 out.write("HTTP/1.1 200 OK\r\nContent-Length: 200000000\r\n\r\n".getBytes());
                 byte[] chunk = new byte[64 * 1024];
                 for (int i = 0; i < 3000; i++) {
                     out.write(chunk);
                 }
                 return true;
             });
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = be, timeout.client = 500ms }
                     backends.be { servers { s = "%s" } }
                     """.formatted(big.address()));
             Socket client = new Socket("127.0.0.1", proxy.port("fe"))) {
            client.setReceiveBufferSize(4096);
            client.getOutputStream().write("GET /big HTTP/1.1\r\nHost: t\r\n\r\n".getBytes());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // The connection is counted once the proxy has accepted it: wait for that first, or the
            // wait below may end before it began.
            while (big.connections().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, big.connections().size(), "the request reached the server");
            while (proxy.luagate().openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, proxy.luagate().openConnections(), "a client that never reads must not keep its connection");
        }
    }

    @Test
    void aServerThatStopsReadingTheUploadGets504() throws Exception {
        try (ServerSocket sink = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (Socket stuck = sink.accept()) {
                    // Reads the head only, then never reads again.
                    InputStream in = stuck.getInputStream();
                    in.readNBytes(16);
                    Thread.sleep(15_000);
                } catch (IOException | InterruptedException e) {
                    // done
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (InProcessProxy proxy = InProcessProxy.start("""
                         log.target = none
                         frontends.fe { bind = ["127.0.0.1:0"], default-backend = be, timeout.client = 30s }
                         backends.be { timeout.server = 700ms, servers { s = "127.0.0.1:%d" } }
                         """.formatted(sink.getLocalPort()));
                 TestClient client = new TestClient(proxy.port("fe"))) {
                int size = 64 * 1024 * 1024;
                client.send("POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: " + size + "\r\n\r\n");
                Thread writer = new Thread(() -> {
                    try {
                        byte[] chunk = new byte[64 * 1024];
                        for (int i = 0; i < size / chunk.length; i++) {
                            client.out().write(chunk);
                        }
                    } catch (IOException e) {
                        // the proxy closed: expected
                    }
                });
                writer.setDaemon(true);
                writer.start();
                Http.Message response = client.read();
                assertEquals(504, response.status(), "the server stopped reading: timeout.server applies");
            }
        }
    }
}
