package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import java.io.IOException;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** DESIGN section 4's failure semantics, each against real sockets. */
class FailureIT {

    /** A port on 127.0.0.1 where nothing listens: connects are refused at once. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void refusedConnectionsAreRetriedOnTheNextServerThen503() throws Exception {
        try (TestUpstream good = TestUpstream.named("good");
             InProcessProxy proxy = InProcessProxy.start("""
                     global.threads = 1
                     log.target = none
                     frontends.mixed { bind = ["127.0.0.1:0"], default-backend = mixed }
                     frontends.dead { bind = ["127.0.0.1:0"], default-backend = dead }
                     backends.mixed { retries = 1, redispatch = true, servers { down = "127.0.0.1:%1$d", good = "%2$s" } }
                     backends.dead { retries = 2, servers { x = "127.0.0.1:%1$d", y = "127.0.0.1:%3$d" } }
                     """.formatted(closedPort(), good.address(), closedPort()));
             TestClient mixed = new TestClient(proxy.port("mixed"));
             TestClient dead = new TestClient(proxy.port("dead"))) {
            for (int i = 0; i < 6; i++) {
                Http.Message response = mixed.get("/" + i);
                assertEquals(200, response.status(), "a refused server must be retried on the next one");
                assertEquals("good", response.header("x-served-by"));
            }
            Http.Message response = dead.get("/");
            assertEquals(503, response.status());
            assertTrue(response.bodyText().contains("No server is available"));
            assertEquals(503, dead.get("/again").status(), "the client connection stays usable");
        }
    }

    @Test
    void reusedConnectionClosedWithoutAnswerIsRetriedOnceThen502() throws Exception {
        AtomicBoolean hangUp = new AtomicBoolean(false);
        try (TestUpstream up = TestUpstream.with("flaky", (request, connection, out) -> {
                 if (hangUp.get()) {
                     return false;
                 }
                 TestUpstream.respond(out, 200, Map.of(), "ok".getBytes());
                 return true;
             });
             InProcessProxy proxy = InProcessProxy.start("""
                     global.threads = 1
                     log.target = none
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                     backends.be { retries = 3, servers { s = "%s" } }
                     """.formatted(up.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            assertEquals(200, client.get("/warm").status());
            assertEquals(1, up.connectionCount());
            hangUp.set(true);
            int requestsBefore = up.requestCount();

            Http.Message response = client.get("/replayable");

            assertEquals(502, response.status());
            assertEquals(2, up.requestCount() - requestsBefore, "the reused connection, then one brand-new one");
            assertEquals(2, up.connectionCount(), "exactly one new connection for the retry");

            // A request that is not replayable (a POST body) is never sent twice.
            hangUp.set(false);
            assertEquals(200, client.get("/warm-again").status());
            hangUp.set(true);
            int before = up.requestCount();
            client.send("POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
            assertEquals(502, client.read().status());
            assertEquals(1, up.requestCount() - before);
        }
    }

    @Test
    void idleServerConnectionThatSpeaksOutOfTurnIsClosedNotReused() throws Exception {
        byte[] stale = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstale".getBytes();
        try (TestUpstream up = TestUpstream.with("chatty", (request, connection, out) -> {
                 TestUpstream.respond(out, 200, Map.of(), "fresh".getBytes());
                 out.flush();
                 // Once the proxy has pooled the connection: a response nobody asked for.
                 Thread.sleep(200);
                 out.write(stale);
                 return true;
             });
             InProcessProxy proxy = InProcessProxy.start("""
                     global.threads = 1
                     log.target = none
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                     backends.be { http-reuse = always, servers { s = "%s" } }
                     """.formatted(up.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            assertEquals("fresh", client.get("/first").bodyText());
            // The idle connection is read, as HAProxy polls its idle server connections: the
            // stray bytes close it at once, they are never taken for the next request's response.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!up.connections().get(0).closedByPeer && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(up.connections().get(0).closedByPeer, "the proxy closes the idle connection that spoke");

            assertEquals("fresh", client.get("/second").bodyText());
            assertEquals(2, up.connectionCount());
        }
    }

    @Test
    void slowServerGets504AfterTimeoutServer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (TestUpstream up = TestUpstream.with("slow", (request, connection, out) -> {
                 release.await(10, TimeUnit.SECONDS);
                 TestUpstream.respond(out, 200, Map.of(), "late".getBytes());
                 return true;
             });
             InProcessProxy proxy = InProcessProxy.start(InProcessProxy.oneBackend(up.address(), "timeout.server = 300ms"));
             TestClient client = new TestClient(proxy.port("fe"))) {
            long start = System.nanoTime();
            Http.Message response = client.get("/");
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            release.countDown();
            assertEquals(504, response.status());
            assertTrue(tookMs >= 250 && tookMs < 5000, "took " + tookMs + " ms");
        }
    }

    @Test
    void slowClientGets408AfterTimeoutHttpRequest() throws Exception {
        try (InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe { bind = ["127.0.0.1:0"], timeout.http-request = 300ms,
                                    http-request = [ "return content-type text/plain string ok" ] }
                     """);
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("GET / HTTP/1.1\r\nHost: t\r\n");
            Http.Message response = client.read();
            assertEquals(408, response.status());
            assertTrue(client.closedByServer(2000));
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedQuietly() throws Exception {
        try (InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe { bind = ["127.0.0.1:0"], timeout.http-keep-alive = 200ms,
                                    http-request = [ "return content-type text/plain string ok" ] }
                     """);
             TestClient client = new TestClient(proxy.port("fe"))) {
            assertEquals(200, client.get("/").status());
            assertTrue(client.closedByServer(3000), "closed after the keep-alive timeout, with no 408");
        }
    }

    @Test
    void malformedRequestGets400() throws Exception {
        try (InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe { bind = ["127.0.0.1:0"], http-request = [ "return content-type text/plain string ok" ] }
                     """);
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("GET / HTTP/1.1\r\nHost: t\r\nContent-Length: nope\r\n\r\n");
            assertEquals(400, client.read().status());
            assertTrue(client.closedByServer(2000));
        }
    }

    @Test
    void clientDisconnectingMidResponseClosesTheUpstreamConnection() throws Exception {
        CountDownLatch upstreamSawClose = new CountDownLatch(1);
        try (TestUpstream up = TestUpstream.with("streamer", (request, connection, out) -> {
                 out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n".getBytes());
                 byte[] chunk = new byte[16 * 1024];
                 try {
                     for (int i = 0; i < 6000; i++) {
                         out.write(chunk);
                         out.flush();
                         Thread.sleep(1);
                     }
                 } catch (IOException e) {
                     upstreamSawClose.countDown();
                     throw e;
                 }
                 return true;
             });
             InProcessProxy proxy = InProcessProxy.start(InProcessProxy.oneBackend(up.address(), ""))) {
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n");
                assertEquals(200, client.readHead().status());
                client.in().readNBytes(64 * 1024);
            }
            assertTrue(upstreamSawClose.await(10, TimeUnit.SECONDS), "the upstream connection was not closed");
            assertEquals(0, idleConnections(proxy), "a connection with a half-read response must not be pooled");
        }
    }

    private static int idleConnections(InProcessProxy proxy) {
        return proxy.luagate().proxies().backends().get("be").pool(0).idleCount();
    }

    @Test
    void serverClosingMidResponseClosesTheClientConnection() throws Exception {
        try (TestUpstream up = TestUpstream.with("cut", (request, connection, out) -> {
                 out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly-part".getBytes());
                 out.flush();
                 return false;
             });
             InProcessProxy proxy = InProcessProxy.start(InProcessProxy.oneBackend(up.address(), ""));
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(200, client.readHead().status());
            byte[] rest = client.in().readAllBytes();
            assertEquals("only-part", new String(rest), "the half-sent response ends with the connection");
        }
    }

}
