package io.luagate.kernel.rule.engine;

import io.luagate.spi.rule.Suspension;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Suspension} of one action call. The action may resume before it even returned
 * {@link Verdict#PENDING} (its work finished at once): the verdict is then kept for the run to
 * take as the action's result. Once the stream ended, the cancel tasks have run and a late resume
 * does nothing.
 *
 * <p>A {@link RuleEvaluation} makes one per action call that asks {@link Transaction#suspend()},
 * calls {@link #returnedPending()} when the action returns PENDING, {@link #settle()} when it
 * returns anything else, and {@link #cancel()} when the stream ends. Used on the stream's event
 * loop.
 */
final class PendingAction implements Suspension {

    /** Told when a suspension the rules stopped at resumes. */
    interface Listener {
        void resumed(PendingAction action, Verdict verdict);
    }

    private static final Logger LOG = LoggerFactory.getLogger(PendingAction.class);

    private enum State { IN_CALL, WAITING, RESUMED, CANCELLED }

    private final EventExecutor loop;
    private final Listener listener;
    private State state = State.IN_CALL;
    private Verdict early;
    private List<Runnable> cancelTasks;

    PendingAction(EventExecutor loop, Listener listener) {
        this.loop = loop;
        this.listener = listener;
    }

    @Override
    public void resume(Verdict verdict) {
        Objects.requireNonNull(verdict, "verdict");
        if (verdict == Verdict.PENDING) {
            throw new IllegalArgumentException("an action resumes with the verdict it would have returned, not PENDING");
        }
        if (!loop.inEventLoop()) {
            // The contract says "on the stream's loop"; an action that forgot gets there anyway.
            loop.execute(() -> resume(verdict));
            return;
        }
        switch (state) {
            case IN_CALL -> {
                early = verdict;
                state = State.RESUMED;
            }
            case WAITING -> {
                state = State.RESUMED;
                cancelTasks = null;
                listener.resumed(this, verdict);
            }
            default -> {
                // Resumed already, or the stream ended: nothing to go on with.
            }
        }
    }

    @Override
    public void onCancel(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (!loop.inEventLoop()) {
            loop.execute(() -> onCancel(task));
            return;
        }
        switch (state) {
            case IN_CALL, WAITING -> {
                if (cancelTasks == null) {
                    cancelTasks = new ArrayList<>(2);
                }
                cancelTasks.add(task);
            }
            case CANCELLED -> runQuietly(task);
            case RESUMED -> {
                // Nothing will be cancelled any more.
            }
        }
    }

    /**
     * The action returned PENDING: the verdict it resumed with during the call, or {@code null}
     * when the rules must now wait for it. A suspension cancelled during the call gives STOP.
     */
    public Verdict returnedPending() {
        return switch (state) {
            case IN_CALL -> {
                state = State.WAITING;
                yield null;
            }
            case RESUMED -> early;
            default -> Verdict.STOP;
        };
    }

    /**
     * The action did not wait after all (it returned another verdict, threw, or answered by
     * itself): a later resume is ignored and there is nothing to cancel.
     */
    public void settle() {
        if (state == State.IN_CALL || state == State.WAITING) {
            early = Verdict.STOP;
            state = State.RESUMED;
            cancelTasks = null;
        }
    }

    /** The stream ended before the action resumed: runs the cancel tasks, once. */
    public void cancel() {
        if (state != State.IN_CALL && state != State.WAITING) {
            return;
        }
        state = State.CANCELLED;
        List<Runnable> tasks = cancelTasks;
        cancelTasks = null;
        if (tasks != null) {
            tasks.forEach(PendingAction::runQuietly);
        }
    }

    private static void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // One action's broken clean-up must not stop the stream's own.
            LOG.warn("a cancel task of a suspended action failed", e);
        }
    }
}
