package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A server that sends what a server must not, through the whole proxy, against real sockets:
 * what it sent wrongly never reaches a client as a good response, and its connection is never
 * pooled for another request. Each expectation was checked against HAProxy 2.6.12 with the same
 * bytes (http-reuse always, a raw-socket server).
 */
class HostileUpstreamIT {

    private static final String REAL = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nreal";

    /** The server's first request, on whichever connection, gets {@code first}; every later one {@link #REAL}. */
    private static TestUpstream firstThenReal(String first) throws Exception {
        AtomicInteger requests = new AtomicInteger();
        return TestUpstream.with("hostile", (request, connection, out) -> {
            out.write((requests.incrementAndGet() == 1 ? first : REAL).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return true;
        });
    }

    private static InProcessProxy proxy(TestUpstream up) {
        return InProcessProxy.start("""
                global.threads = 1
                log.target = none
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                backends.be { http-reuse = always, servers { s = "%s" } }
                """.formatted(up.address()));
    }

    /**
     * The server sends, in one write, a complete response and the start of another head. Kept in
     * the decoder's buffer, the partial head would be glued to the next request's response on
     * that connection (another client's): here an {@code X-Stale} header, in general any header
     * the server slipped in (a Set-Cookie for another user). Bytes with no request waiting fail
     * the connection instead. HAProxy 2.6.12 resets that server connection and opens a
     * new one for the next request; the second client gets only {@code real}.
     */
    @Test
    void aPartialHeadAfterAResponseNeverReachesTheNextClient() throws Exception {
        try (TestUpstream up = firstThenReal("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                + "HTTP/1.1 200 OK\r\nX-Stale: yes\r\nX-Eat:");
             InProcessProxy proxy = proxy(up)) {
            try (TestClient first = new TestClient(proxy.port("fe"))) {
                assertEquals("ok", first.get("/1").bodyText());
            }
            try (TestClient second = new TestClient(proxy.port("fe"))) {
                Http.Message response = second.get("/2");
                assertNull(response.header("x-stale"), "another response's bytes reached this client");
                assertEquals(200, response.status());
                assertEquals("real", response.bodyText());
            }
            assertEquals(2, up.connectionCount(), "the connection that sent extra bytes is never reused");
        }
    }

    /**
     * The same by a separate read: FailureIT shows that an idle pooled connection that receives a
     * whole stray response is closed at once; a partial head arriving while the connection is
     * idle must close it too, not wait in the decoder for the next request's response. HAProxy 2.6.12 closes the idle connection when it speaks (the
     * next request opens a new one).
     */
    @Test
    void aPartialHeadSentToAnIdleConnectionNeverReachesTheNextClient() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (TestUpstream up = TestUpstream.with("late", (request, connection, out) -> {
                 if (requests.incrementAndGet() == 1) {
                     out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
                     out.flush();
                     // Once the proxy has pooled the connection: the start of a head nobody asked for.
                     Thread.sleep(200);
                     out.write("HTTP/1.1 200 OK\r\nX-Stale: yes\r\nX-Eat:".getBytes(StandardCharsets.ISO_8859_1));
                 } else {
                     out.write(REAL.getBytes(StandardCharsets.ISO_8859_1));
                 }
                 out.flush();
                 return true;
             });
             InProcessProxy proxy = proxy(up)) {
            try (TestClient first = new TestClient(proxy.port("fe"))) {
                assertEquals("ok", first.get("/1").bodyText());
            }
            Thread.sleep(500);
            try (TestClient second = new TestClient(proxy.port("fe"))) {
                Http.Message response = second.get("/2");
                assertNull(response.header("x-stale"), "bytes sent to an idle connection reached this client");
                assertEquals("real", response.bodyText());
            }
            assertEquals(2, up.connectionCount(), "the idle connection that spoke is never reused");
        }
    }

    /**
     * Two differing Content-Length lines in an HTTP/1.0 response (see
     * ResponseDecoderHostileTest#differingContentLengthsInAnHttp10ResponseAreRefused) never give
     * the client a 200 with the first length's 2 bytes, as if complete. HAProxy 2.6.12 answers 502 (PH--).
     */
    @Test
    void differingContentLengthsInAnHttp10ResponseGive502() throws Exception {
        try (TestUpstream up = firstThenReal("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n"
                + "Content-Length: 10\r\n\r\nok12345678");
             InProcessProxy proxy = proxy(up);
             TestClient client = new TestClient(proxy.port("fe"))) {
            assertEquals(502, client.get("/1").status());
        }
    }

    /**
     * A response with both
     * Content-Length and a chunked coding is forwarded by its chunks with the length dropped, as
     * RFC 9112 section 6.3 says, and HAProxy 2.6.12 does the same; but RFC 9112 also says such a
     * message "ought to be handled as an error", and HAProxy never reuses that server connection
     * (the next request opens a new one); neither does luagate.
     */
    @Test
    void aResponseWithLengthAndChunkedIsForwardedByItsChunksButItsConnectionIsNotReused() throws Exception {
        try (TestUpstream up = firstThenReal("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\nok\r\n0\r\n\r\n");
             InProcessProxy proxy = proxy(up);
             TestClient client = new TestClient(proxy.port("fe"))) {
            Http.Message response = client.get("/1");
            assertEquals("ok", response.bodyText());
            assertNull(response.header("content-length"));
            assertEquals("real", client.get("/2").bodyText());
            assertEquals(2, up.connectionCount(), "the connection with the ambiguous framing is not reused");
        }
    }

    @Test
    void aCompleteStrayResponseAfterAResponseClosesTheConnection() throws Exception {
        // The same as the partial head above, but whole: it is decoded at once, the idle
        // connection's handler closes the connection, and the next request gets a new one.
        try (TestUpstream up = firstThenReal("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                + "HTTP/1.1 200 OK\r\nX-Stale: yes\r\nContent-Length: 5\r\n\r\nstale");
             InProcessProxy proxy = proxy(up)) {
            try (TestClient first = new TestClient(proxy.port("fe"))) {
                assertEquals("ok", first.get("/1").bodyText());
            }
            try (TestClient second = new TestClient(proxy.port("fe"))) {
                Http.Message response = second.get("/2");
                assertNull(response.header("x-stale"));
                assertEquals("real", response.bodyText());
            }
            assertEquals(2, up.connectionCount());
        }
    }

    @Test
    void aBodyAfterABodilessResponseIsNeverTakenForTheNextResponse() throws Exception {
        // 204 and the answer to HEAD have no body whatever their Content-Length says; a server
        // that sends one anyway has its connection closed, never read on as the next response.
        try (TestUpstream up = TestUpstream.with("bodies", (request, connection, out) -> {
                 String answer = switch (request.target()) {
                     case "/204" -> "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello";
                     case "/head" -> "HTTP/1.1 200 OK\r\nContent-Length: 38\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
                     default -> REAL;
                 };
                 out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                 out.flush();
                 return true;
             });
             InProcessProxy proxy = proxy(up)) {
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                client.send("GET /204 HTTP/1.1\r\nHost: t\r\n\r\n");
                assertEquals(204, client.readHead().status());
                assertEquals("real", client.get("/a").bodyText());
                client.send("HEAD /head HTTP/1.1\r\nHost: t\r\n\r\n");
                Http.Message head = client.readHead();
                assertEquals(200, head.status());
                assertEquals("38", head.header("content-length"));
                Http.Message next = client.get("/b");
                assertEquals("real", next.bodyText(), "the body sent to HEAD was not read as this response");
            }
            assertEquals(3, up.connectionCount(), "each connection that sent a body out of turn was closed");
        }
    }

    @Test
    void interimResponsesThenAFinalOneReachTheClientInOrderAndTheConnectionIsReused() throws Exception {
        try (TestUpstream up = firstThenReal("HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2;ext=1\r\nok\r\n0\r\nX-T: 1\r\n\r\n");
             InProcessProxy proxy = proxy(up);
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("GET /1 HTTP/1.1\r\nHost: t\r\n\r\n");
            Http.Message hints = client.readHead();
            assertEquals(103, hints.status());
            assertEquals("</s.css>; rel=preload", hints.header("link"));
            assertEquals(100, client.readHead().status());
            Http.Message response = client.read();
            assertEquals(200, response.status());
            assertEquals("ok", response.bodyText());
            assertEquals("real", client.get("/2").bodyText());
            assertEquals(1, up.connectionCount(), "a well-formed exchange keeps its connection");
        }
    }

    @Test
    void aControlCharacterInAServerHeaderGives502AndTheConnectionIsNotReused() throws Exception {
        // Stricter than HAProxy 2.6.12, which passes a NUL in a server's header value on.
        try (TestUpstream up = firstThenReal("HTTP/1.1 200 OK\r\nX-A: a\rb\r\nContent-Length: 2\r\n\r\nok");
             InProcessProxy proxy = proxy(up);
             TestClient client = new TestClient(proxy.port("fe"))) {
            assertEquals(502, client.get("/1").status());
            try (TestClient other = new TestClient(proxy.port("fe"))) {
                assertEquals("real", other.get("/2").bodyText());
            }
            assertEquals(2, up.connectionCount());
        }
    }

    @Test
    void aTruncatedChunkedBodyNeverEndsAtTheClient() throws Exception {
        // The server closes after the last chunk's size line: the trailer section never came.
        try (TestUpstream up = TestUpstream.with("cut", (request, connection, out) -> {
                 out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n".getBytes(StandardCharsets.ISO_8859_1));
                 out.flush();
                 return false;
             });
             InProcessProxy proxy = proxy(up);
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("GET /1 HTTP/1.1\r\nHost: t\r\n\r\n");
            Http.Message head = client.readHead();
            assertEquals(200, head.status());
            String rest = new String(client.in().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(!rest.endsWith("0\r\n\r\n"), "a cut body must not end like a complete one: " + rest);
        }
    }

    @Test
    void anEarlyResponseToAnUnfinishedUploadNeverLeavesItsConnectionPooled() throws Exception {
        // A raw server: its first connection answers as soon as the request head is in, before
        // the body; later connections answer whole requests.
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        int number = accepted.incrementAndGet();
                        Thread.ofPlatform().daemon().start(() -> rawServe(socket, number));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (InProcessProxy proxy = InProcessProxy.start("""
                         global.threads = 1
                         log.target = none
                         frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                         backends.be { http-reuse = always, servers { s = "127.0.0.1:%d" } }
                         """.formatted(server.getLocalPort()))) {
                try (TestClient client = new TestClient(proxy.port("fe"))) {
                    client.send("POST /u HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc");
                    assertEquals("early", client.read().bodyText());
                    client.send("defghij");
                }
                try (TestClient other = new TestClient(proxy.port("fe"))) {
                    assertEquals("real", other.get("/2").bodyText(), "not the first connection's leftovers");
                }
                assertEquals(2, accepted.get(), "the connection whose request had not ended was not reused");
            }
        }
    }

    /** The raw server's side of one connection: the first answers each head at once, the others each whole GET. */
    private static void rawServe(Socket socket, int number) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            StringBuilder seen = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                seen.append((char) b);
                if (seen.toString().endsWith("\r\n\r\n")) {
                    seen.setLength(0);
                    String answer = number == 1 ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nearly" : REAL;
                    out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            }
        } catch (IOException e) {
            // The proxy closed the connection: nothing more to serve.
        }
    }
}
