package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.ErrorPages;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Suspension;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.sample.VarScope;
import io.luagate.spi.service.HttpService;
import io.luagate.spi.service.HttpServiceExchange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A service's response on its way out, as in HAProxy 2.6: through the http-response rules (which
 * still see req.* variables), then http-after-response (which do not); a Lua-like service and
 * reply answer an HTTP/1.0 client in HTTP/1.0. Real sockets.
 */
class ServiceResponseTest {

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

    private void useService(HttpService service) {
        kernel.frontend.requestRules.add(txn -> {
            txn.setVar(VarScope.REQ, "x", "reqval");
            if (!txn.request().path().startsWith("/svc")) {
                return Verdict.CONTINUE;
            }
            txn.serve(service);
            return Verdict.STOP;
        });
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** "hello " at once, "world" 30 ms later, then the end. */
    private static void hello(HttpServiceExchange exchange) {
        exchange.start(200, null, List.of(Map.entry("content-type", "text/plain")));
        exchange.write(bytes("hello "));
        exchange.transaction().stream().session().channel().eventLoop().schedule(() -> {
            exchange.write(bytes("world"));
            exchange.end();
        }, 30, TimeUnit.MILLISECONDS);
    }

    private static final HttpService HELLO = ServiceResponseTest::hello;

    /** Like a Lua service: its status line is in the request's version. */
    private static final HttpService LUA_LIKE = new HttpService() {
        @Override
        public void serve(HttpServiceExchange exchange) {
            exchange.start(200, null, List.of(Map.entry("content-length", "2")));
            exchange.write(bytes("ok"));
            exchange.end();
        }

        @Override
        public boolean answersInRequestVersion() {
            return true;
        }
    };

    @Test
    void theResponseRulesSeeAServicesResponseWithRequestVariablesAndTheAfterRulesWithout() throws Exception {
        useService(HELLO);
        kernel.frontend.responseRules.add(txn -> {
            txn.response().setHeader("x-res", String.valueOf(txn.var(VarScope.REQ, "x")));
            return Verdict.CONTINUE;
        });
        kernel.frontend.afterResponseRules.add(txn -> {
            txn.response().setHeader("x-after", String.valueOf(txn.var(VarScope.REQ, "x")));
            return Verdict.CONTINUE;
        });
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals(200, response.status());
            assertEquals("reqval", response.header("x-res"));
            assertEquals("null", response.header("x-after"));
            assertEquals("hello world", response.body());
            // Keep-alive goes on.
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals("hello world", client.read().body());
        }
        assertEquals(0, origin.requests.get());
    }

    @Test
    void aSuspendedResponseRuleHoldsWhatTheServiceWritesMeanwhile() throws Exception {
        useService(HELLO);
        kernel.frontend.responseRules.add(txn -> {
            Suspension suspension = txn.suspend();
            txn.stream().session().channel().eventLoop().schedule(() -> suspension.resume(Verdict.CONTINUE),
                    120, TimeUnit.MILLISECONDS);
            return Verdict.PENDING;
        });
        kernel.frontend.responseRules.add(txn -> {
            txn.response().setHeader("x-after-wait", "1");
            return Verdict.CONTINUE;
        });
        try (RawClient client = new RawClient(kernel.port())) {
            long start = System.nanoTime();
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(120), "sent before the rules resumed");
            assertEquals("1", response.header("x-after-wait"));
            assertEquals("hello world", response.body());
        }
        assertEquals("LR", kernel.nextEnded().termination());
    }

    /** Writes "x" five times, pausing whenever write() says so, then ends. */
    private static void pump(HttpServiceExchange exchange, AtomicInteger writes) {
        while (writes.get() < 5) {
            writes.incrementAndGet();
            if (!exchange.write(bytes("x"))) {
                exchange.onWritable(() -> pump(exchange, writes));
                return;
            }
        }
        exchange.end();
    }

    @Test
    void aServiceIsAskedToPauseWhileItsHeadIsHeld() throws Exception {
        AtomicInteger writes = new AtomicInteger();
        AtomicInteger writesWhileHeld = new AtomicInteger(-1);
        useService(exchange -> {
            exchange.start(200, null, List.of());
            pump(exchange, writes);
        });
        kernel.frontend.responseRules.add(txn -> {
            Suspension suspension = txn.suspend();
            txn.stream().session().channel().eventLoop().schedule(() -> {
                writesWhileHeld.set(writes.get());
                suspension.resume(Verdict.CONTINUE);
            }, 80, TimeUnit.MILLISECONDS);
            return Verdict.PENDING;
        });
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals("xxxxx", client.read().body());
        }
        assertEquals(1, writesWhileHeld.get());
    }

    @Test
    void aResponseRuleThatDeniesReplacesTheServicesResponseWith502() throws Exception {
        useService(HELLO);
        Action deny = txn -> {
            txn.reply(ErrorPages.forStatus(502));
            return Verdict.STOP;
        };
        kernel.frontend.responseRules.add(deny);
        kernel.frontend.afterResponseRules.add(txn -> {
            txn.response().setHeader("x-after", "1");
            return Verdict.CONTINUE;
        });
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals(502, response.status());
            assertEquals("1", response.header("x-after"));
            assertTrue(response.body().contains("502 Bad Gateway"));
            // The service's late writes go nowhere; the connection serves the next request.
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals(502, client.read().status());
        }
    }

    @Test
    void aLuaLikeServiceAnswersAnHttp10ClientInHttp10WithoutConnectionHeader() throws Exception {
        useService(LUA_LIKE);
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /svc HTTP/1.0\r\n\r\n");
            String raw = client.readToEnd();
            assertTrue(raw.startsWith("HTTP/1.0 200 OK\r\n"), raw);
            assertFalse(raw.toLowerCase().contains("connection:"), raw);
            assertTrue(raw.endsWith("\r\n\r\nok"), raw);
        }
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /svc HTTP/1.0\r\nconnection: keep-alive\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals("keep-alive", response.header("connection"));
            assertEquals("ok", response.body());
            // The connection stays open for the next request.
            client.send("GET /svc HTTP/1.0\r\nconnection: keep-alive\r\n\r\n");
            assertEquals("ok", client.read().body());
        }
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /svc HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals("ok", response.body());
            assertNull(response.header("connection"));
        }
    }

    @Test
    void otherServicesAnswerHttp11() throws Exception {
        useService(HELLO);
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /svc HTTP/1.0\r\n\r\n");
            String raw = client.readToEnd();
            assertTrue(raw.startsWith("HTTP/1.1 200 OK\r\n"), raw);
            assertTrue(raw.toLowerCase().contains("connection: close\r\n"), raw);
        }
    }

    @Test
    void aReplyInTheRequestVersionAnswersHttp10InHttp10AndTheProxysOwnInHttp11() throws Exception {
        kernel.frontend.requestRules.add(txn -> {
            HttpReply reply = new HttpReply(201, List.of(), bytes("rep"));
            txn.reply(txn.request().path().equals("/lua") ? reply.inRequestVersion() : reply);
            return Verdict.STOP;
        });
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /lua HTTP/1.0\r\n\r\n");
            String raw = client.readToEnd();
            assertEquals("HTTP/1.0 201 Created\r\ncontent-length: 3\r\n\r\nrep", raw);
        }
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /own HTTP/1.0\r\n\r\n");
            String raw = client.readToEnd();
            assertEquals("HTTP/1.1 201 Created\r\ncontent-length: 3\r\nconnection: close\r\n\r\nrep", raw);
        }
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /own HTTP/1.0\r\nconnection: keep-alive\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals("keep-alive", response.header("connection"));
            client.send("GET /own HTTP/1.0\r\nconnection: keep-alive\r\n\r\n");
            assertEquals("rep", client.read().body());
        }
    }
}
