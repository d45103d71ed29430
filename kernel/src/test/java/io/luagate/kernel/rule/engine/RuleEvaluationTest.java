package io.luagate.kernel.rule.engine;

import static io.luagate.spi.rule.RuleList.BACKEND_TCP_RESPONSE_CONTENT;
import static io.luagate.spi.rule.RuleList.FRONTEND_HTTP_REQUEST;
import static io.luagate.spi.rule.RuleList.FRONTEND_TCP_REQUEST_CONTENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.rule.RulePolicy;
import io.luagate.spi.rule.RuleRun;
import io.luagate.spi.rule.Suspension;
import io.luagate.spi.rule.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rule engine's runs, under both policies: the order and end of a list, suspend and resume
 * (early, late, cancelled, settled, timed out), and what HTTP and content rules do differently
 * with WAIT, a failing action, and the last evaluation.
 */
class RuleEvaluationTest {

    private final EngineFixture fx = new EngineFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    /** An action that suspends and hands its suspension to {@code into}. */
    private static io.luagate.spi.rule.Action suspending(AtomicReference<Suspension> into) {
        return txn -> {
            into.set(txn.suspend());
            return Verdict.PENDING;
        };
    }

    @Test
    void aListRunsInOrderToItsEndWhenNoRuleDecides() throws Exception {
        fx.add(FRONTEND_HTTP_REQUEST, "a", Verdict.CONTINUE);
        fx.add(FRONTEND_HTTP_REQUEST, "b", Verdict.CONTINUE);
        fx.onLoop(() -> fx.start(RulePolicy.HTTP).run(FRONTEND_HTTP_REQUEST, true));
        assertEquals(List.of("a", "b"), fx.called);
        assertEquals(List.of("FRONTEND_HTTP_REQUEST CONTINUE"), fx.concluded);
    }

    @Test
    void anEmptyListConcludesContinue() throws Exception {
        fx.onLoop(() -> fx.start(RulePolicy.HTTP).run(FRONTEND_HTTP_REQUEST, true));
        assertEquals(List.of("FRONTEND_HTTP_REQUEST CONTINUE"), fx.concluded);
        assertTrue(fx.engine.isEmpty(FRONTEND_HTTP_REQUEST));
    }

    @Test
    void allowAndStopEndTheList() throws Exception {
        fx.add(FRONTEND_HTTP_REQUEST, "a", Verdict.ALLOW);
        fx.add(FRONTEND_HTTP_REQUEST, "b", Verdict.CONTINUE);
        fx.add(BACKEND_TCP_RESPONSE_CONTENT, "c", Verdict.STOP);
        fx.add(BACKEND_TCP_RESPONSE_CONTENT, "d", Verdict.CONTINUE);
        fx.onLoop(() -> {
            RuleRun run = fx.start(RulePolicy.HTTP);
            run.run(FRONTEND_HTTP_REQUEST, true);
            run.run(BACKEND_TCP_RESPONSE_CONTENT, true);
        });
        assertEquals(List.of("a", "c"), fx.called);
        assertEquals(List.of("FRONTEND_HTTP_REQUEST ALLOW", "BACKEND_TCP_RESPONSE_CONTENT STOP"), fx.concluded);
    }

    @Test
    void httpTakesWaitForNotMatchedAndContentRulesWaitOnIt() throws Exception {
        fx.add(FRONTEND_HTTP_REQUEST, "a", Verdict.WAIT);
        fx.add(FRONTEND_HTTP_REQUEST, "b", Verdict.CONTINUE);
        fx.onLoop(() -> fx.start(RulePolicy.HTTP).run(FRONTEND_HTTP_REQUEST, true));
        assertEquals(List.of("a", "b"), fx.called);
        assertEquals(List.of("FRONTEND_HTTP_REQUEST CONTINUE"), fx.concluded);

        fx.called.clear();
        fx.onLoop(() -> fx.start(RulePolicy.content(0)).run(FRONTEND_HTTP_REQUEST, false));
        assertEquals(List.of("a"), fx.called);
        assertEquals("FRONTEND_HTTP_REQUEST WAIT", fx.concluded.get(1));
    }

    @Test
    void httpSkipsAnActionThatThrowsAndVoidsItsSuspension() throws Exception {
        AtomicReference<Suspension> asked = new AtomicReference<>();
        List<Runnable> cancelled = new ArrayList<>();
        fx.add(FRONTEND_HTTP_REQUEST, "a", txn -> {
            asked.set(txn.suspend());
            asked.get().onCancel(() -> cancelled.add(() -> { }));
            throw new IllegalArgumentException("a CR in a header value");
        });
        fx.add(FRONTEND_HTTP_REQUEST, "b", Verdict.CONTINUE);
        fx.onLoop(() -> fx.start(RulePolicy.HTTP).run(FRONTEND_HTTP_REQUEST, true));
        assertEquals(List.of("a", "b"), fx.called);
        assertEquals(List.of("FRONTEND_HTTP_REQUEST CONTINUE"), fx.concluded);
        fx.onLoop(() -> {
            asked.get().resume(Verdict.STOP);
            fx.run.cancel();
        });
        assertEquals(1, fx.concluded.size(), "a void suspension's resume goes nowhere");
        assertTrue(cancelled.isEmpty(), "nothing of a settled suspension is cancelled");
    }

    @Test
    void contentRulesPassAnActionsExceptionOnAfterSettlingItsSuspension() throws Exception {
        AtomicReference<Suspension> asked = new AtomicReference<>();
        fx.add(FRONTEND_TCP_REQUEST_CONTENT, "a", txn -> {
            asked.set(txn.suspend());
            throw new IllegalStateException("broken");
        });
        fx.add(FRONTEND_TCP_REQUEST_CONTENT, "b", Verdict.CONTINUE);
        IllegalStateException thrown = fx.onLoop(() -> assertThrows(IllegalStateException.class,
                () -> fx.start(RulePolicy.content(0)).run(FRONTEND_TCP_REQUEST_CONTENT, true)));
        assertEquals("broken", thrown.getMessage());
        assertEquals(List.of("a"), fx.called);
        assertTrue(fx.concluded.isEmpty());
        fx.onLoop(() -> asked.get().resume(Verdict.CONTINUE));
        assertFalse(fx.run.suspended());
        assertEquals(List.of("a"), fx.called, "a settled suspension does not resume the list");
    }

    @Test
    void aSuspendedActionResumesTheListWithTheNextRule() throws Exception {
        AtomicReference<Suspension> asked = new AtomicReference<>();
        fx.add(FRONTEND_HTTP_REQUEST, "a", suspending(asked));
        fx.add(FRONTEND_HTTP_REQUEST, "b", Verdict.CONTINUE);
        fx.onLoop(() -> fx.start(RulePolicy.HTTP).run(FRONTEND_HTTP_REQUEST, true));
        assertEquals(List.of("FRONTEND_HTTP_REQUEST PENDING"), fx.concluded);
        assertTrue(fx.onLoop(() -> fx.run.suspended()));
        // Off the loop, as a careless action would: the resume goes to the loop.
        asked.get().resume(Verdict.CONTINUE);
        fx.onLoop(() -> { });
        assertEquals(List.of("a", "b"), fx.called);
        assertEquals(List.of("FRONTEND_HTTP_REQUEST PENDING", "FRONTEND_HTTP_REQUEST CONTINUE"), fx.concluded);
        assertFalse(fx.onLoop(() -> fx.run.suspended()));
    }

    @Test
    void aResumeWithAnotherVerdictEndsTheListThere() throws Exception {
        for (Verdict verdict : new Verdict[] {Verdict.ALLOW, Verdict.STOP}) {
            fx.lists.clear();
            fx.concluded.clear();
            fx.called.clear();
            AtomicReference<Suspension> asked = new AtomicReference<>();
            fx.add(FRONTEND_HTTP_REQUEST, "a", suspending(asked));
            fx.add(FRONTEND_HTTP_REQUEST, "b", Verdict.CONTINUE);
            fx.onLoop(() -> fx.start(RulePolicy.HTTP).run(FRONTEND_HTTP_REQUEST, true));
            fx.onLoop(() -> asked.get().resume(verdict));
            assertEquals(List.of("a"), fx.called);
            assertEquals(List.of("FRONTEND_HTTP_REQUEST PENDING", "FRONTEND_HTTP_REQUEST " + verdict), fx.concluded);
        }
    }

    @Test
    void contentRulesGoOnAfterAResumeWithWait() throws Exception {
        AtomicReference<Suspension> asked = new AtomicReference<>();
        fx.add(FRONTEND_TCP_REQUEST_CONTENT, "a", suspending(asked));
        fx.add(FRONTEND_TCP_REQUEST_CONTENT, "b", Verdict.ALLOW);
        fx.onLoop(() -> fx.start(RulePolicy.content(0)).run(FRONTEND_TCP_REQUEST_CONTENT, false));
        fx.onLoop(() -> asked.get().resume(Verdict.WAIT));
        assertEquals(List.of("a", "b"), fx.called);
        assertEquals("FRONTEND_TCP_REQUEST_CONTENT ALLOW", fx.concluded.get(1));
    }

    @Test
    void aResumeDuringTheCallIsTheActionsResult() throws Exception {
        fx.add(FRONTEND_HTTP_REQUEST, "a", txn -> {
            txn.suspend().resume(Verdict.ALLOW);
            return Verdict.PENDING;
        });
        fx.add(FRONTEND_HTTP_REQUEST, "b", Verdict.CONTINUE);
        fx.onLoop(() -> fx.start(RulePolicy.HTTP).run(FRONTEND_HTTP_REQUEST, true));
        assertEquals(List.of("a"), fx.called);
        assertEquals(List.of("FRONTEND_HTTP_REQUEST ALLOW"), fx.concluded);
    }

    @Test
    void pendingWithoutSuspendIsTakenAsContinue() throws Exception {
        fx.add(FRONTEND_TCP_REQUEST_CONTENT, "a", Verdict.PENDING);
        fx.add(FRONTEND_TCP_REQUEST_CONTENT, "b", Verdict.CONTINUE);
        fx.onLoop(() -> fx.start(RulePolicy.content(0)).run(FRONTEND_TCP_REQUEST_CONTENT, true));
        assertEquals(List.of("a", "b"), fx.called);
        assertEquals(List.of("FRONTEND_TCP_REQUEST_CONTENT CONTINUE"), fx.concluded);
    }

    @Test
    void aHaltedStreamStopsTheListAfterAnAction() throws Exception {
        fx.add(FRONTEND_HTTP_REQUEST, "a", txn -> {
            fx.halted = true;
            return Verdict.CONTINUE;
        });
        fx.add(FRONTEND_HTTP_REQUEST, "b", Verdict.CONTINUE);
        fx.onLoop(() -> fx.start(RulePolicy.HTTP).run(FRONTEND_HTTP_REQUEST, true));
        assertEquals(List.of("a"), fx.called);
        assertEquals(List.of("FRONTEND_HTTP_REQUEST STOP"), fx.concluded);
    }

    @Test
    void aStreamHaltedWhileSuspendedStopsAtTheResume() throws Exception {
        AtomicReference<Suspension> asked = new AtomicReference<>();
        fx.add(FRONTEND_HTTP_REQUEST, "a", suspending(asked));
        fx.add(FRONTEND_HTTP_REQUEST, "b", Verdict.CONTINUE);
        fx.onLoop(() -> fx.start(RulePolicy.HTTP).run(FRONTEND_HTTP_REQUEST, true));
        fx.onLoop(() -> {
            fx.halted = true;
            asked.get().resume(Verdict.CONTINUE);
        });
        assertEquals(List.of("a"), fx.called);
        assertEquals("FRONTEND_HTTP_REQUEST STOP", fx.concluded.get(1));
    }

    @Test
    void aResumeAfterTheStreamDiedIsDropped() throws Exception {
        AtomicReference<Suspension> asked = new AtomicReference<>();
        fx.add(FRONTEND_TCP_REQUEST_CONTENT, "a", suspending(asked));
        fx.add(FRONTEND_TCP_REQUEST_CONTENT, "b", Verdict.CONTINUE);
        fx.onLoop(() -> fx.start(RulePolicy.content(0)).run(FRONTEND_TCP_REQUEST_CONTENT, true));
        fx.onLoop(() -> {
            fx.alive = false;
            asked.get().resume(Verdict.CONTINUE);
        });
        assertEquals(List.of("a"), fx.called);
        assertEquals(List.of("FRONTEND_TCP_REQUEST_CONTENT PENDING"), fx.concluded);
        assertFalse(fx.onLoop(() -> fx.run.suspended()));
    }

    @Test
    void cancelRunsTheCancelTasksAndALateResumeDoesNothing() throws Exception {
        AtomicReference<Suspension> asked = new AtomicReference<>();
        List<String> cancelled = new ArrayList<>();
        fx.add(FRONTEND_HTTP_REQUEST, "a", txn -> {
            asked.set(txn.suspend());
            asked.get().onCancel(() -> cancelled.add("stop the work"));
            return Verdict.PENDING;
        });
        fx.add(FRONTEND_HTTP_REQUEST, "b", Verdict.CONTINUE);
        fx.onLoop(() -> fx.start(RulePolicy.HTTP).run(FRONTEND_HTTP_REQUEST, true));
        fx.onLoop(() -> {
            fx.run.cancel();
            fx.run.cancel();
            asked.get().resume(Verdict.CONTINUE);
        });
        assertEquals(List.of("stop the work"), cancelled);
        assertEquals(List.of("a"), fx.called);
        assertEquals(1, fx.concluded.size());
    }

    @Test
    void settleIgnoresALaterResumeAndCancelsNothing() throws Exception {
        AtomicReference<Suspension> asked = new AtomicReference<>();
        List<String> cancelled = new ArrayList<>();
        fx.add(FRONTEND_HTTP_REQUEST, "a", txn -> {
            asked.set(txn.suspend());
            asked.get().onCancel(() -> cancelled.add("stop the work"));
            return Verdict.PENDING;
        });
        fx.onLoop(() -> fx.start(RulePolicy.HTTP).run(FRONTEND_HTTP_REQUEST, true));
        fx.onLoop(() -> {
            fx.run.settle();
            assertFalse(fx.run.suspended());
            asked.get().resume(Verdict.CONTINUE);
            fx.run.cancel();
        });
        assertTrue(cancelled.isEmpty());
        assertEquals(1, fx.concluded.size());
    }

    @Test
    void onlyARunningActionMaySuspendAndOnlyOnce() throws Exception {
        RuleRun run = fx.onLoop(() -> fx.start(RulePolicy.HTTP));
        fx.onLoop(() -> assertThrows(IllegalStateException.class, run::suspend));
        List<Throwable> second = new ArrayList<>();
        fx.add(FRONTEND_HTTP_REQUEST, "a", txn -> {
            Suspension first = txn.suspend();
            second.add(assertThrows(IllegalStateException.class, txn::suspend));
            first.resume(Verdict.CONTINUE);
            return Verdict.PENDING;
        });
        fx.onLoop(() -> run.run(FRONTEND_HTTP_REQUEST, true));
        assertEquals(1, second.size());
        assertEquals(List.of("FRONTEND_HTTP_REQUEST CONTINUE"), fx.concluded);
    }

    @Test
    void aSuspensionPastItsDeadlineIsCancelledAndReported() throws Exception {
        AtomicReference<Suspension> asked = new AtomicReference<>();
        CountDownLatch cancelled = new CountDownLatch(1);
        fx.add(BACKEND_TCP_RESPONSE_CONTENT, "a", txn -> {
            asked.set(txn.suspend());
            asked.get().onCancel(cancelled::countDown);
            return Verdict.PENDING;
        });
        fx.add(BACKEND_TCP_RESPONSE_CONTENT, "b", Verdict.CONTINUE);
        fx.onLoop(() -> fx.start(RulePolicy.content(50)).run(BACKEND_TCP_RESPONSE_CONTENT, true));
        assertTrue(cancelled.await(5, TimeUnit.SECONDS));
        fx.onLoop(() -> asked.get().resume(Verdict.CONTINUE));
        assertEquals(1, fx.timeouts);
        assertEquals(List.of("a"), fx.called);
        assertFalse(fx.onLoop(() -> fx.run.suspended()));
    }

    @Test
    void aResumeInTimeCancelsTheDeadline() throws Exception {
        AtomicReference<Suspension> asked = new AtomicReference<>();
        fx.add(BACKEND_TCP_RESPONSE_CONTENT, "a", suspending(asked));
        fx.onLoop(() -> fx.start(RulePolicy.content(100)).run(BACKEND_TCP_RESPONSE_CONTENT, true));
        fx.onLoop(() -> asked.get().resume(Verdict.CONTINUE));
        Thread.sleep(250);
        fx.onLoop(() -> { });
        assertEquals(0, fx.timeouts);
        assertEquals("BACKEND_TCP_RESPONSE_CONTENT CONTINUE", fx.concluded.get(1));
    }

    @Test
    void theLastEvaluationAskedForUnderASuspensionIsRememberedForItsResume() throws Exception {
        AtomicReference<Suspension> asked = new AtomicReference<>();
        List<Integer> marks = new ArrayList<>();
        fx.add(FRONTEND_TCP_REQUEST_CONTENT, "a", txn -> {
            txn.markMayChange();
            marks.add(txn.mayChangeMarks());
            asked.set(txn.suspend());
            return Verdict.PENDING;
        });
        fx.add(FRONTEND_TCP_REQUEST_CONTENT, "b", txn -> {
            txn.markMayChange();
            marks.add(txn.mayChangeMarks());
            return Verdict.CONTINUE;
        });
        fx.onLoop(() -> fx.start(RulePolicy.content(0)).run(FRONTEND_TCP_REQUEST_CONTENT, false));
        assertFalse(fx.onLoop(() -> fx.run.inLastEvaluation()));
        fx.onLoop(() -> fx.run.run(FRONTEND_TCP_REQUEST_CONTENT, true));
        assertEquals(List.of("a"), fx.called, "no second run over a suspended action");
        assertTrue(fx.onLoop(() -> fx.run.inLastEvaluation()));
        fx.onLoop(() -> asked.get().resume(Verdict.CONTINUE));
        assertEquals(List.of("a", "b"), fx.called);
        assertEquals(List.of(1, 1), marks, "in the last evaluation nothing may change any more");
        assertEquals("FRONTEND_TCP_REQUEST_CONTENT CONTINUE", fx.concluded.get(1));
    }

    @Test
    void theRunReadsTheListWhenItRuns() throws Exception {
        RuleRun run = fx.onLoop(() -> fx.start(RulePolicy.HTTP));
        fx.add(FRONTEND_HTTP_REQUEST, "late", Verdict.CONTINUE);
        fx.onLoop(() -> run.run(FRONTEND_HTTP_REQUEST, true));
        assertEquals(List.of("late"), fx.called);
        assertSame(run, fx.run);
    }
}
