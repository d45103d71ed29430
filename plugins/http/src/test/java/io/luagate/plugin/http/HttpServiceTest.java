package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.service.HttpService;
import io.luagate.spi.service.HttpServiceExchange;
import io.luagate.spi.stream.TerminationCause;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Streaming HTTP services (use-service) through the real codec, on real sockets. */
class HttpServiceTest {

    private Origin origin;
    private FakeKernel kernel;

    @BeforeEach
    void start() throws Exception {
        origin = new Origin();
        kernel = new FakeKernel(origin.address());
    }

    @AfterEach
    void stop() throws Exception {
        kernel.close();
        origin.close();
    }

    /** {@code use-service} for paths under /svc, as the kernel's action does it. */
    private void useService(HttpService service) {
        kernel.frontend.requestRules.add(txn -> {
            if (!txn.request().path().startsWith("/svc")) {
                return Verdict.CONTINUE;
            }
            txn.serve(service);
            return Verdict.STOP;
        });
    }

    private static void later(HttpServiceExchange exchange, long millis, Runnable task) {
        exchange.transaction().stream().session().channel().eventLoop().schedule(task, millis, TimeUnit.MILLISECONDS);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Streams "hello " now and "world" later, without a content-length. */
    private static final HttpService HELLO = exchange -> {
        exchange.start(200, null, List.of(Map.entry("content-type", "text/plain")));
        exchange.write(bytes("hello "));
        later(exchange, 50, () -> {
            exchange.write(bytes("world"));
            exchange.end();
        });
    };

    @Test
    void aStreamedResponseIsChunkedAndTheConnectionServesTheNextRequest() throws Exception {
        useService(HELLO);
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals(200, response.status());
            assertTrue(response.chunked());
            assertEquals("text/plain", response.header("content-type"));
            assertEquals("hello world", response.body());
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals("hello world", client.read().body());
            client.send("GET /proxied HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals("GET /proxied x-test=", client.read().body());
        }
        FakeKernel.FakeStream stream = kernel.nextEnded();
        assertEquals(200, stream.status);
        assertEquals("L" + "R", stream.termination());
        assertTrue(stream.bytesOut > "hello world".length(), "head and body are counted");
    }

    @Test
    void pipelinedRequestsAfterAServiceWaitForItsEnd() throws Exception {
        useService(HELLO);
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\nGET /next HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals("hello world", client.read().body());
            assertEquals("GET /next x-test=", client.read().body());
        }
    }

    @Test
    void anHttp10ClientGetsABodyEndedByTheClose() throws Exception {
        useService(HELLO);
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /svc HTTP/1.0\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals(200, response.status());
            assertFalse(response.chunked());
            assertNull(response.header("content-length"));
            assertEquals("hello world", response.body());
        }
    }

    @Test
    void aHeadRequestGetsNoBody() throws Exception {
        useService(HELLO);
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("HEAD /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals(200, client.read(true).status());
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            // Had the HEAD response carried bytes, they would be read here instead.
            assertEquals("hello world", client.read().body());
        }
    }

    /** Echoes the request body with a content-length. */
    private static final HttpService ECHO = exchange -> exchange.body(body -> {
        exchange.start(200, "Echo", List.of(Map.entry("content-length", Integer.toString(body.length))));
        exchange.write(body);
        exchange.end();
    });

    @Test
    void theServiceGetsTheWholeRequestBody() throws Exception {
        useService(ECHO);
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("POST /svc HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\n\r\nhel");
            Thread.sleep(50);
            client.send("lo");
            RawClient.Response response = client.read();
            assertEquals(200, response.status());
            assertEquals("hello", response.body());
            client.send("POST /svc HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
            assertEquals("abcde", client.read().body());
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals("", client.read().body());
        }
    }

    @Test
    void expect100ContinueIsAnsweredWhenTheServiceWantsTheBody() throws Exception {
        useService(ECHO);
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("POST /svc HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\ncontent-length: 4\r\n\r\n");
            assertEquals(100, client.read().status());
            client.send("ping");
            assertEquals("ping", client.read().body());
        }
    }

    @Test
    void aBodyLargerThanTheBufferGets413AndTheConnectionCloses() throws Exception {
        AtomicInteger received = new AtomicInteger();
        useService(exchange -> exchange.body(body -> received.incrementAndGet()));
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("POST /svc HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\ncontent-length: 20000\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals(413, response.status());
            assertEquals("close", response.header("connection"));
            assertTrue(client.closedByServer());
        }
        try (RawClient client = new RawClient(kernel.port())) {
            // Chunked: the size is only known as it arrives.
            client.send("POST /svc HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n");
            for (int i = 0; i < 5; i++) {
                client.send("1000\r\n" + "z".repeat(4096) + "\r\n");
            }
            assertEquals(413, client.read().status());
            assertTrue(client.closedByServer());
        }
        assertEquals(0, received.get());
        assertEquals(TerminationCause.PROXY, kernel.nextEnded().cause);
    }

    @Test
    void failBeforeStartGives500AndTheConnectionGoesOn() throws Exception {
        useService(exchange -> later(exchange, 20, exchange::fail));
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals(500, client.read().status());
            client.send("GET /ok HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals(200, client.read().status());
        }
        FakeKernel.FakeStream stream = kernel.nextEnded();
        assertEquals(500, stream.status);
        assertEquals(TerminationCause.INTERNAL, stream.cause);
    }

    @Test
    void failAfterStartClosesTheConnectionMidBody() throws Exception {
        useService(exchange -> {
            exchange.start(200, null, List.of());
            exchange.write(bytes("partial"));
            later(exchange, 20, exchange::fail);
        });
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            String raw = client.readToEnd();
            assertTrue(raw.startsWith("HTTP/1.1 200 OK\r\n"), raw);
            assertTrue(raw.contains("transfer-encoding: chunked"), raw);
            assertTrue(raw.endsWith("7\r\npartial\r\n"), "no last chunk may be sent: " + raw);
        }
    }

    @Test
    void aServiceThatThrowsGets500() throws Exception {
        useService(exchange -> {
            throw new IllegalStateException("broken service");
        });
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals(500, client.read().status());
        }
    }

    @Test
    void replySendsAWholeResponseWithItsLength() throws Exception {
        useService(exchange -> exchange.reply(new HttpReply(203, List.of(new HttpReply.Header("x-s", "1")), bytes("whole"))));
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals(203, response.status());
            assertEquals("5", response.header("content-length"));
            assertEquals("whole", response.body());
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals("whole", client.read().body());
        }
    }

    @Test
    void theServiceIsToldWhenTheClientLeavesAndWritesAfterAreIgnored() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        AtomicInteger writesAfter = new AtomicInteger();
        useService(exchange -> {
            exchange.start(200, null, List.of());
            exchange.write(bytes("tick"));
            exchange.onClose(() -> {
                closed.countDown();
                later(exchange, 10, () -> {
                    if (!exchange.write(bytes("late"))) {
                        writesAfter.incrementAndGet();
                    }
                    exchange.end();
                });
            });
        });
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            Thread.sleep(100);
            client.reset();
        }
        assertTrue(closed.await(5, TimeUnit.SECONDS));
        assertEquals(TerminationCause.CLIENT_ABORT, kernel.nextEnded().cause);
        Thread.sleep(100);
        assertEquals(1, writesAfter.get());
    }

    @Test
    void aSilentServiceIsEndedByTimeoutClient() throws Exception {
        kernel.frontend.clientTimeout = 300;
        CountDownLatch closed = new CountDownLatch(1);
        useService(exchange -> exchange.onClose(closed::countDown));
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals(500, client.read().status());
        }
        assertTrue(closed.await(5, TimeUnit.SECONDS));
    }

    @Test
    void aSlowWriterWaitsForWritability() throws Exception {
        int pieces = 64;
        byte[] piece = bytes("q".repeat(64 * 1024));
        useService(exchange -> {
            exchange.start(200, null, List.of(Map.entry("content-length", Integer.toString(pieces * piece.length))));
            new Runnable() {
                int sent;

                @Override
                public void run() {
                    while (sent < pieces) {
                        sent++;
                        if (!exchange.write(piece)) {
                            exchange.onWritable(this);
                            return;
                        }
                    }
                    exchange.end();
                }
            }.run();
        });
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            Thread.sleep(200);
            RawClient.Response response = client.read();
            assertEquals(pieces * piece.length, response.body().length());
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals(pieces * piece.length, client.read().body().length());
        }
    }
}
