package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.ErrorPages;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.sample.VarScope;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** http-after-response rules on every response leaving the codec, on real sockets (HAProxy 2.6's behaviour). */
class AfterResponseTest {

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

    /** Appends {@code mark} to the response's x-after header, so the order of the lists shows. */
    private static Action mark(String mark) {
        return txn -> {
            String before = txn.response().header("x-after");
            txn.response().setHeader("x-after", before == null ? mark : before + "," + mark);
            return Verdict.CONTINUE;
        };
    }

    private static Action replyOn(String path, HttpReply reply) {
        return txn -> {
            if (!txn.request().path().equals(path)) {
                return Verdict.CONTINUE;
            }
            txn.reply(reply);
            return Verdict.STOP;
        };
    }

    @Test
    void aServerResponseRunsTheBackendListThenTheFrontendListAfterTheResponseRules() throws Exception {
        kernel.frontend.responseRules.add(mark("fe-res"));
        kernel.backend.responseRules.add(mark("be-res"));
        kernel.backend.afterResponseRules.add(mark("be-after"));
        kernel.frontend.afterResponseRules.add(mark("fe-after"));
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /a HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals(200, response.status());
            assertEquals("be-res,fe-res,be-after,fe-after", response.header("x-after"));
            assertEquals("GET /a x-test=", response.body());
        }
    }

    @Test
    void allowEndsOnlyItsOwnList() throws Exception {
        kernel.backend.afterResponseRules.addAll(List.of(txn -> Verdict.ALLOW, mark("skipped")));
        kernel.frontend.afterResponseRules.add(mark("fe-after"));
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET / HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals("fe-after", client.read().header("x-after"));
        }
    }

    @Test
    void theProxysOwnAnswersRunTheFrontendListOnlyBeforeABackendIsChosen() throws Exception {
        kernel.frontend.requestRules.add(replyOn("/teapot",
                new HttpReply(418, List.of(new HttpReply.Header("content-type", "text/plain")), "tea".getBytes())));
        kernel.frontend.requestRules.add(replyOn("/deny", ErrorPages.forStatus(403)));
        kernel.frontend.responseRules.add(mark("fe-res"));
        kernel.backend.afterResponseRules.add(mark("be-after"));
        kernel.frontend.afterResponseRules.add(txn -> {
            txn.response().setHeader("x-status", Integer.toString(txn.response().status()));
            return Verdict.CONTINUE;
        });
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /teapot HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response teapot = client.read();
            assertEquals(418, teapot.status());
            assertEquals("418", teapot.header("x-status"));
            // The response rules do not see the proxy's answers; the backend's list has no backend yet.
            assertNull(teapot.header("x-after"));
            assertEquals("tea", teapot.body());
            client.send("GET /deny HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response denied = client.read();
            assertEquals(403, denied.status());
            assertEquals("403", denied.header("x-status"));
        }
        assertEquals(0, origin.requests.get());
    }

    @Test
    void anErrorOfTheBackendRunsBothLists() throws Exception {
        kernel.backend.requestRules.add(replyOn("/late", ErrorPages.forStatus(503)));
        kernel.backend.afterResponseRules.add(mark("be-after"));
        kernel.frontend.afterResponseRules.add(mark("fe-after"));
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /late HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals(503, response.status());
            assertEquals("be-after,fe-after", response.header("x-after"));
        }
    }

    @Test
    void aReplyWhoseHeaderCannotBeWrittenBecomesA500() throws Exception {
        // A value computed at run time (a return's lf hdr, a Lua reply) may hold a LF, which the
        // encoder refuses: the client gets the 500 page, and the connection serves the next request.
        kernel.frontend.requestRules.add(replyOn("/bad",
                new HttpReply(200, List.of(new HttpReply.Header("x-v", "a\nb")), new byte[0])));
        kernel.frontend.afterResponseRules.add(txn -> {
            txn.response().setHeader("x-status", Integer.toString(txn.response().status()));
            return Verdict.CONTINUE;
        });
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /bad HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals(500, response.status());
            assertEquals("500", response.header("x-status"));
            assertNull(response.header("x-v"));
            client.send("GET /next HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals(200, client.read().status());
        }
        assertEquals(500, kernel.nextEnded().status);
    }

    @Test
    void setStatusThereChangesTheStatusSentAndLogged() throws Exception {
        kernel.frontend.afterResponseRules.add(txn -> {
            txn.response().setStatus(299, "Fine");
            return Verdict.CONTINUE;
        });
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET / HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals(299, client.read().status());
        }
        assertEquals(299, kernel.nextEnded().status);
    }

    @Test
    void aRequestThatCannotBeParsedGetsItsErrorPageWithoutTheRules() throws Exception {
        // HAProxy 2.6's H1 mux answers it before any stream exists: no http-after-response.
        kernel.frontend.afterResponseRules.add(mark("fe-after"));
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET / HTTP/1.1\r\nbad header\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals(400, response.status());
            assertNull(response.header("x-after"));
        }
    }

    @Test
    void aFailedRuleTurnsTheResponseIntoA500WhoseRulesRunOnceMore() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        kernel.frontend.afterResponseRules.add(txn -> {
            runs.incrementAndGet();
            if (txn.response().status() != 500) {
                throw new IllegalArgumentException("a value the header cannot carry");
            }
            txn.response().setHeader("x-second", "yes");
            return Verdict.CONTINUE;
        });
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET / HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals(500, response.status());
            assertEquals("yes", response.header("x-second"));
            assertTrue(response.body().contains("500 Internal Server Error"));
        }
        assertEquals(2, runs.get());
        FakeKernel.FakeStream stream = kernel.nextEnded();
        assertEquals(500, stream.status);
        assertEquals("IH", stream.termination());
    }

    @Test
    void aRuleThatAlwaysFailsGetsTheBare500() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        kernel.frontend.afterResponseRules.add(txn -> {
            runs.incrementAndGet();
            txn.response().setHeader("x-tried", "yes");
            throw new IllegalArgumentException("always");
        });
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET / HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals(500, response.status());
            assertNull(response.header("x-tried"));
            // The connection stays usable: the next request gets the same treatment.
            client.send("GET / HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals(500, client.read().status());
        }
        // The server's response, then the first 500; the last 500 is constant.
        assertEquals(4, runs.get());
    }

    @Test
    void requestVariablesEndBeforeTheServerIsAskedForAndTransactionVariablesStay() throws Exception {
        kernel.frontend.requestRules.add(txn -> {
            txn.setVar(VarScope.REQ, "x", "reqval");
            txn.setVar(VarScope.TXN, "t", "txnval");
            return Verdict.CONTINUE;
        });
        Action show = txn -> {
            Object req = txn.var(VarScope.REQ, "x");
            txn.response().addHeader("x-vars", req + "/" + txn.var(VarScope.TXN, "t"));
            // Setting one now does nothing: its scope is over.
            txn.setVar(VarScope.REQ, "y", "late");
            txn.response().addHeader("x-late", String.valueOf(txn.var(VarScope.REQ, "y")));
            return Verdict.CONTINUE;
        };
        kernel.frontend.responseRules.add(show);
        kernel.frontend.afterResponseRules.add(show);
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET / HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals(200, response.status());
            assertEquals("null/txnval", response.header("x-vars"));
            assertEquals("null", response.header("x-late"));
        }
    }

    @Test
    void aConnectFailureGets503ThroughBothLists() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (FakeKernel dead = new FakeKernel(new InetSocketAddress("127.0.0.1", closedPort))) {
            dead.backend.afterResponseRules.add(mark("be-after"));
            dead.frontend.afterResponseRules.add(mark("fe-after"));
            try (RawClient client = new RawClient(dead.port())) {
                client.send("GET / HTTP/1.1\r\nhost: x\r\n\r\n");
                RawClient.Response response = client.read();
                assertEquals(503, response.status());
                assertEquals("be-after,fe-after", response.header("x-after"));
            }
        }
    }
}
