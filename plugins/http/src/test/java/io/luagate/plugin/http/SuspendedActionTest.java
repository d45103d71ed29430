package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Suspension;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.stream.StreamPhase;
import io.luagate.spi.stream.TerminationCause;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Actions that suspend the rules (Transaction.suspend) and resume them later, on real sockets. */
class SuspendedActionTest {

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

    /** Suspends, then resumes with {@code verdict} after {@code millis} on the stream's loop. */
    private static Action resumeLater(Verdict verdict, long millis) {
        return txn -> {
            Suspension suspension = txn.suspend();
            txn.stream().session().channel().eventLoop().schedule(() -> suspension.resume(verdict), millis, TimeUnit.MILLISECONDS);
            return Verdict.PENDING;
        };
    }

    private static Action setRequestHeader(String value) {
        return txn -> {
            txn.request().setHeader("x-test", value);
            return Verdict.CONTINUE;
        };
    }

    private static final HttpReply TEAPOT = new HttpReply(418, List.of(), "teapot".getBytes(StandardCharsets.UTF_8));

    private static Action replyTeapot() {
        return txn -> {
            txn.reply(TEAPOT);
            return Verdict.STOP;
        };
    }

    @Test
    void aRequestActionResumedWithContinueGoesOnWithTheNextRuleThenTheServer() throws Exception {
        kernel.frontend.requestRules.addAll(List.of(resumeLater(Verdict.CONTINUE, 150), setRequestHeader("after")));
        try (RawClient client = new RawClient(kernel.port())) {
            long start = System.nanoTime();
            client.send("GET /a HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals(200, response.status());
            assertEquals("GET /a x-test=after", response.body());
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150), "answered before the resume");
            // Keep-alive: the connection serves the next request (and suspends again).
            client.send("GET /b HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals("GET /b x-test=after", client.read().body());
        }
        FakeKernel.FakeStream stream = kernel.nextEnded();
        assertEquals(200, stream.status);
        assertEquals("--", stream.termination());
    }

    @Test
    void allowEndsTheFrontendListAndTheBackendListStillRuns() throws Exception {
        kernel.frontend.requestRules.addAll(List.of(resumeLater(Verdict.ALLOW, 50), replyTeapot()));
        kernel.backend.requestRules.add(setRequestHeader("backend"));
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /a HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals(200, response.status());
            assertEquals("GET /a x-test=backend", response.body());
        }
    }

    @Test
    void aSuspendedActionThatRepliesAndStopsAnswersWithoutTheServer() throws Exception {
        kernel.frontend.requestRules.addAll(List.of(txn -> {
            Suspension suspension = txn.suspend();
            txn.stream().session().channel().eventLoop().schedule(() -> {
                txn.reply(TEAPOT);
                suspension.resume(Verdict.STOP);
            }, 50, TimeUnit.MILLISECONDS);
            return Verdict.PENDING;
        }, setRequestHeader("never")));
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /a HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals(418, response.status());
            assertEquals("teapot", response.body());
            client.send("GET /b HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals(418, client.read().status());
        }
        assertEquals(0, origin.requests.get());
        assertEquals(418, kernel.nextEnded().status);
    }

    @Test
    void stopWithoutAnAnswerGets500RatherThanAHang() throws Exception {
        kernel.frontend.requestRules.add(resumeLater(Verdict.STOP, 20));
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /a HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals(500, client.read().status());
        }
        assertEquals("IR", kernel.nextEnded().termination());
    }

    @Test
    void aResumeBeforeReturningPendingActsAsTheReturnedVerdict() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        kernel.frontend.requestRules.addAll(List.of(txn -> {
            calls.incrementAndGet();
            txn.suspend().resume(Verdict.CONTINUE);
            return Verdict.PENDING;
        }, setRequestHeader("sync")));
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /a HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals("GET /a x-test=sync", client.read().body());
        }
        assertEquals(1, calls.get());
    }

    @Test
    void pipelinedRequestsWaitForTheSuspendedOneAndAreAnsweredInOrder() throws Exception {
        AtomicInteger n = new AtomicInteger();
        kernel.frontend.requestRules.add(txn -> {
            // The first request waits longest: a later one must still not overtake it.
            Suspension suspension = txn.suspend();
            long delay = n.getAndIncrement() == 0 ? 200 : 10;
            txn.stream().session().channel().eventLoop().schedule(() -> suspension.resume(Verdict.CONTINUE), delay, TimeUnit.MILLISECONDS);
            return Verdict.PENDING;
        });
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /1 HTTP/1.1\r\nhost: x\r\n\r\nGET /2 HTTP/1.1\r\nhost: x\r\n\r\nGET /3 HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals("GET /1 x-test=", client.read().body());
            assertEquals("GET /2 x-test=", client.read().body());
            assertEquals("GET /3 x-test=", client.read().body());
        }
    }

    @Test
    void aRequestBodyArrivingWhileSuspendedIsForwardedWhole() throws Exception {
        kernel.frontend.requestRules.add(resumeLater(Verdict.CONTINUE, 100));
        String body = "b".repeat(200_000);
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("POST /up HTTP/1.1\r\nhost: x\r\ncontent-length: " + body.length() + "\r\n\r\n" + body);
            // The origin answers only once it has read the whole body.
            assertEquals("POST /up x-test=", client.read().body());
        }
    }

    @Test
    void theClientLeavingWhileSuspendedCancelsOnceAndALateResumeIsIgnored() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        AtomicInteger cancels = new AtomicInteger();
        AtomicReference<Suspension> held = new AtomicReference<>();
        kernel.frontend.requestRules.add(txn -> {
            Suspension suspension = txn.suspend();
            suspension.onCancel(() -> {
                cancels.incrementAndGet();
                cancelled.countDown();
            });
            held.set(suspension);
            return Verdict.PENDING;
        });
        try (RawClient client = new RawClient(kernel.port())) {
            // Part of a body is read and held while the action waits: it must be released. The FIN
            // of a request cut short is an abort.
            client.send("POST /up HTTP/1.1\r\nhost: x\r\ncontent-length: 100000\r\n\r\n" + "x".repeat(5_000));
            Thread.sleep(100);
        }
        assertTrue(cancelled.await(5, TimeUnit.SECONDS), "onCancel did not run");
        FakeKernel.FakeStream stream = kernel.nextEnded();
        assertEquals(TerminationCause.CLIENT_ABORT, stream.cause);
        assertEquals(StreamPhase.REQUEST, stream.phase);
        kernel.loop().submit(() -> held.get().resume(Verdict.CONTINUE)).get();
        Thread.sleep(100);
        assertEquals(1, cancels.get());
        assertEquals(0, origin.requests.get());
    }

    @Test
    void aClientThatResetsWhileAWholeRequestWaitsIsNoticedAtOnce() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        kernel.frontend.requestRules.add(txn -> {
            txn.suspend().onCancel(cancelled::countDown);
            return Verdict.PENDING;
        });
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /a HTTP/1.1\r\nhost: x\r\n\r\n");
            Thread.sleep(100);
            client.reset();
        }
        assertTrue(cancelled.await(2, TimeUnit.SECONDS), "the reset was not noticed while suspended");
        assertEquals("CR", kernel.nextEnded().termination());
    }

    @Test
    void aClientThatOnlyFinishedSendingStillGetsItsAnswer() throws Exception {
        kernel.frontend.requestRules.add(resumeLater(Verdict.CONTINUE, 100));
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /a HTTP/1.1\r\nhost: x\r\n\r\n");
            client.shutdownOutput();
            assertEquals("GET /a x-test=", client.read().body());
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void timeoutClientEndsASuspensionThatNeverResumesWith500() throws Exception {
        kernel.frontend.clientTimeout = 300;
        CountDownLatch cancelled = new CountDownLatch(1);
        kernel.frontend.requestRules.add(txn -> {
            txn.suspend().onCancel(cancelled::countDown);
            return Verdict.PENDING;
        });
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /a HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals(500, client.read().status());
        }
        assertTrue(cancelled.await(5, TimeUnit.SECONDS));
        assertEquals("IR", kernel.nextEnded().termination());
    }

    // ---- response side ------------------------------------------------------------------------

    private static Action setResponseHeader(String value) {
        return txn -> {
            txn.response().setHeader("x-after", value);
            return Verdict.CONTINUE;
        };
    }

    @Test
    void aResponseActionHoldsTheResponseAndItsBodyUntilItResumes() throws Exception {
        origin.padding(300_000);
        kernel.backend.responseRules.add(resumeLater(Verdict.CONTINUE, 150));
        kernel.frontend.responseRules.add(setResponseHeader("yes"));
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /big HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals(200, response.status());
            assertEquals("yes", response.header("x-after"));
            assertEquals("GET /big x-test=" + "p".repeat(300_000), response.body());
            client.send("GET /again HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals("yes", client.read().header("x-after"));
        }
    }

    @Test
    void allowOnTheResponseSkipsTheRestOfItsListOnly() throws Exception {
        kernel.backend.responseRules.addAll(List.of(resumeLater(Verdict.ALLOW, 50), setResponseHeader("skipped")));
        kernel.frontend.responseRules.add(setResponseHeader("frontend"));
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /a HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals("frontend", response.header("x-after"));
            assertEquals("GET /a x-test=", response.body());
        }
    }

    @Test
    void aResponseActionThatRepliesReplacesTheServersResponse() throws Exception {
        origin.padding(100_000);
        kernel.frontend.responseRules.add(txn -> {
            Suspension suspension = txn.suspend();
            txn.stream().session().channel().eventLoop().schedule(() -> {
                txn.reply(TEAPOT);
                suspension.resume(Verdict.STOP);
            }, 100, TimeUnit.MILLISECONDS);
            return Verdict.PENDING;
        });
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /a HTTP/1.1\r\nhost: x\r\n\r\n");
            RawClient.Response response = client.read();
            assertEquals(418, response.status());
            assertEquals("teapot", response.body());
            client.send("GET /b HTTP/1.1\r\nhost: x\r\n\r\n");
            assertEquals(418, client.read().status());
        }
    }

    @Test
    void theClientLeavingDuringAResponseSuspensionReleasesTheHeldBody() throws Exception {
        origin.padding(200_000);
        CountDownLatch cancelled = new CountDownLatch(1);
        kernel.frontend.responseRules.add(txn -> {
            txn.suspend().onCancel(cancelled::countDown);
            return Verdict.PENDING;
        });
        try (RawClient client = new RawClient(kernel.port())) {
            client.send("GET /a HTTP/1.1\r\nhost: x\r\n\r\n");
            Thread.sleep(200);
            client.reset();
        }
        assertTrue(cancelled.await(5, TimeUnit.SECONDS));
        FakeKernel.FakeStream stream = kernel.nextEnded();
        assertEquals(TerminationCause.CLIENT_ABORT, stream.cause);
        assertFalse(stream.bytesOut > 0, "nothing of the held response may have been sent");
    }
}
