package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** tarpit, early-hint, reject, monitor-uri and http-error pages on the wire, through real sockets. */
class ProxyAnswersTest {

    private static final HttpReply SLOW = new HttpReply(429, List.of(new HttpReply.Header("content-type", "text/plain")),
            "slow down".getBytes(StandardCharsets.UTF_8));

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

    private static Action tarpit(long millis) {
        return txn -> {
            txn.tarpit(SLOW, millis);
            return Verdict.PENDING;
        };
    }

    @Test
    void tarpitAnswersWhenTheDelayEndsNotBeforeAndTimeoutClientDoesNotCutIt() throws Exception {
        kernel.frontend.clientTimeout = 100;
        kernel.frontend.requestRules.add(tarpit(400));
        try (RawClient client = new RawClient(kernel.port())) {
            long start = System.nanoTime();
            client.send("GET /t HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(429, response.status());
            assertEquals("slow down", response.body());
            assertTrue(waited >= 400, "answered after " + waited + " ms");
        }
        FakeKernel.FakeStream stream = kernel.nextEnded();
        assertEquals("PT", stream.termination());
        assertEquals(429, stream.status);
        assertEquals(0, origin.requests.get());
    }

    @Test
    void theLoopServesOthersDuringATarpitAndAClientLeavingEndsIt() throws Exception {
        kernel.frontend.requestRules.add(txn -> txn.request().path().equals("/t") ? tarpit(3_000).execute(txn) : Verdict.CONTINUE);
        try (RawClient held = new RawClient(kernel.port())) {
            held.send("GET /t HTTP/1.1\r\nhost: x\r\n\r\n");
            // Every connection of the fake kernel shares its one loop: a blocked loop would stall this one.
            try (RawClient other = new RawClient(kernel.port())) {
                long start = System.nanoTime();
                other.send("GET /free HTTP/1.1\r\nhost: x\r\n\r\n");
                assertEquals(200, other.read().status());
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
            }
            assertEquals("--", kernel.nextEnded().termination());
            long left = System.nanoTime();
            held.reset();
            FakeKernel.FakeStream stream = kernel.nextEnded();
            assertTrue(System.nanoTime() - left < TimeUnit.SECONDS.toNanos(2), "the stream ended at the client's leaving");
            assertEquals("PT", stream.termination(), "HAProxy logs a tarpitted stream PT whatever the client did");
        }
    }

    @Test
    void earlyHintsGoAsOne103BeforeTheResponseToHttp11ClientsOnly() throws Exception {
        kernel.frontend.requestRules.addAll(List.of(txn -> {
            txn.earlyHint("link", "</a.css>; rel=preload", false);
            return Verdict.CONTINUE;
        }, txn -> {
            txn.earlyHint("x-b", "b", true);
            return Verdict.CONTINUE;
        }));
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /a HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals("HTTP/1.1 103 Early Hints", client.readLine());
            assertEquals("link: </a.css>; rel=preload", client.readLine());
            assertEquals("x-b: b", client.readLine());
            assertEquals("", client.readLine());
            assertEquals(200, client.read().status());
        }
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /a HTTP/1.0\r\nhost: x\r\n\r\n");
            assertTrue(client.readLine().startsWith("HTTP/1.1 200"), "no 103 to an HTTP/1.0 client");
        }
    }

    @Test
    void rejectClosesWithoutSendingAnything() throws Exception {
        kernel.frontend.requestRules.add(txn -> {
            txn.stream().terminate(io.luagate.spi.stream.TerminationCause.PROXY, io.luagate.spi.stream.StreamPhase.REQUEST);
            txn.reject();
            return Verdict.STOP;
        });
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /a HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals("", client.readToEnd());
        }
        assertEquals("PR", kernel.nextEnded().termination());
        assertEquals(0, origin.requests.get());
    }

    @Test
    void theMonitorAnswersBeforeAnyRuleAndTheProxysErrorPagesApply() throws Exception {
        kernel.frontend.monitor = txn -> {
            if (!txn.request().uri().equals("/health")) {
                return Verdict.CONTINUE;
            }
            txn.reply(io.luagate.spi.rule.ErrorPages.forStream(txn, 200));
            return Verdict.STOP;
        };
        kernel.frontend.errorReplies.put(200, txn -> new HttpReply(200, List.of(), "up".getBytes(StandardCharsets.UTF_8)));
        kernel.frontend.requestRules.add(txn -> {
            throw new AssertionError("rules must not run for the monitor URI");
        });
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /health HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals(200, response.status());
            assertEquals("up", response.body());
        }
        assertEquals(0, origin.requests.get());
    }

    @Test
    void aStreamsOwnErrorPageIsTheProxysHttpError() throws Exception {
        kernel.frontend.errorReplies.put(500, txn -> new HttpReply(500, List.of(new HttpReply.Header("content-type", "text/plain")),
                ("oops " + txn.request().path()).getBytes(StandardCharsets.UTF_8)));
        kernel.frontend.requestRules.add(txn -> Verdict.STOP);
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /p HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals(500, response.status());
            assertEquals("oops /p", response.body());
        }
    }
}
