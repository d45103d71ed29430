package io.luagate.kernel.rule.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.rule.Verdict;
import io.netty.channel.DefaultEventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The state machine of one suspended action call: early and late resumes, settle, cancel. */
class PendingActionTest {

    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final List<String> heard = new ArrayList<>();
    private final PendingAction.Listener listener = (action, verdict) -> heard.add(verdict.name());

    @AfterEach
    void close() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void onLoop(Runnable task) throws Exception {
        loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aResumeDuringTheCallIsKeptAsTheActionsResult() throws Exception {
        onLoop(() -> {
            PendingAction action = new PendingAction(loop, listener);
            action.resume(Verdict.ALLOW);
            assertEquals(Verdict.ALLOW, action.returnedPending());
        });
        assertTrue(heard.isEmpty(), "a verdict taken during the call is not told again");
    }

    @Test
    void aResumeAfterTheCallIsToldOnceOnTheLoop() throws Exception {
        PendingAction[] action = new PendingAction[1];
        onLoop(() -> {
            action[0] = new PendingAction(loop, listener);
            assertNull(action[0].returnedPending());
        });
        action[0].resume(Verdict.CONTINUE);
        onLoop(() -> action[0].resume(Verdict.STOP));
        assertEquals(List.of("CONTINUE"), heard);
    }

    @Test
    void pendingIsNoVerdictToResumeWith() throws Exception {
        onLoop(() -> {
            PendingAction action = new PendingAction(loop, listener);
            assertThrows(IllegalArgumentException.class, () -> action.resume(Verdict.PENDING));
            assertThrows(NullPointerException.class, () -> action.resume(null));
        });
    }

    @Test
    void cancelRunsTheTasksOnceEvenWhenOneFails() throws Exception {
        List<String> ran = new ArrayList<>();
        onLoop(() -> {
            PendingAction action = new PendingAction(loop, listener);
            action.onCancel(() -> {
                ran.add("first");
                throw new IllegalStateException("a broken clean-up");
            });
            action.onCancel(() -> ran.add("second"));
            assertNull(action.returnedPending());
            action.cancel();
            action.cancel();
            action.onCancel(() -> ran.add("late"));
            action.resume(Verdict.CONTINUE);
        });
        assertEquals(List.of("first", "second", "late"), ran);
        assertTrue(heard.isEmpty());
    }

    @Test
    void aCancelDuringTheCallEndsItWithStop() throws Exception {
        onLoop(() -> {
            PendingAction action = new PendingAction(loop, listener);
            action.cancel();
            assertEquals(Verdict.STOP, action.returnedPending());
        });
    }

    @Test
    void aSettledActionIgnoresItsResumeAndCancelsNothing() throws Exception {
        List<String> ran = new ArrayList<>();
        onLoop(() -> {
            PendingAction action = new PendingAction(loop, listener);
            action.onCancel(() -> ran.add("cancelled"));
            assertNull(action.returnedPending());
            action.settle();
            action.resume(Verdict.CONTINUE);
            action.cancel();
            action.onCancel(() -> ran.add("late"));
        });
        assertTrue(ran.isEmpty());
        assertTrue(heard.isEmpty());
    }
}
