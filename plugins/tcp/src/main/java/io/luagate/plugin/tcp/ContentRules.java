package io.luagate.plugin.tcp;

import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.PendingAction;
import io.luagate.spi.rule.Suspension;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One list of content rules ({@code tcp-request content} or {@code tcp-response content}) run as
 * HAProxy runs them: the first accept or reject decides; a rule whose condition read data that may
 * still grow waits for more ({@link Verdict#WAIT}) unless this is the last evaluation; an action
 * may suspend the list ({@link Transaction#suspend()}), which then goes on from the next rule
 * when it resumes. A trigger for the last evaluation that comes while an action is suspended is
 * remembered, not acted on: the rules are never run twice over one suspended action.
 *
 * <p>Confined to the stream's event loop.
 */
final class ContentRules implements PendingAction.Listener {

    /** The side of the connection the rules decide for. */
    interface Host {

        /**
         * The rules came to {@code verdict}: ALLOW or CONTINUE (go on), STOP (refused, or the
         * connection was handed to a service), WAIT (more data is needed) or PENDING (an action
         * is suspended; the next call comes when it resumes).
         */
        void concluded(Verdict verdict);

        /** A suspended action did not resume within the time allowed; it was cancelled. */
        void suspensionTimedOut();

        /** Whether the stream still runs: a resume that comes after it ended is dropped. */
        boolean alive();

        /** Whether the last action handed the connection to a service: the rules end there. */
        boolean served();
    }

    private static final Logger LOG = LoggerFactory.getLogger(ContentRules.class);

    private final List<Action> rules;
    private final Transaction txn;
    private final EventExecutor loop;
    private final long suspensionTimeoutMillis;
    private final Host host;
    private boolean inCall;
    /** The suspension asked for by the action being called. */
    private PendingAction calling;
    /** The suspension the rules stopped at, and the index of its rule. */
    private PendingAction waiting;
    private int waitingIndex;
    private ScheduledFuture<?> waitingDeadline;
    private boolean finalEvaluation;
    private boolean finalWhileWaiting;
    private int mayChangeMarks;

    /** @param suspensionTimeoutMillis how long a suspended action may take; 0: no limit here */
    ContentRules(List<Action> rules, Transaction txn, EventExecutor loop, long suspensionTimeoutMillis, Host host) {
        this.rules = rules;
        this.txn = txn;
        this.loop = loop;
        this.suspensionTimeoutMillis = suspensionTimeoutMillis;
        this.host = host;
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * Runs the rules from the first one on what arrived so far; {@code last}: the data will not
     * grow any more (no WAIT then). Under a suspended action only {@code last} is remembered.
     */
    void evaluate(boolean last) {
        if (waiting != null) {
            finalWhileWaiting |= last;
            return;
        }
        finalEvaluation = last;
        conclude(run(0));
    }

    /** Whether an action holds the rules suspended now. */
    boolean suspended() {
        return waiting != null;
    }

    /** Whether the evaluation under way (or the one a suspended action will go on with) is the last. */
    boolean inLastEvaluation() {
        return finalEvaluation || finalWhileWaiting;
    }

    void markMayChange() {
        if (!finalEvaluation) {
            mayChangeMarks++;
        }
    }

    int mayChangeMarks() {
        return mayChangeMarks;
    }

    Suspension suspend() {
        if (!inCall) {
            throw new IllegalStateException("only a running action can suspend the rules");
        }
        if (calling != null) {
            throw new IllegalStateException("this action already suspended the rules");
        }
        calling = new PendingAction(loop, this);
        return calling;
    }

    /** The rules ended without their action (a service took the connection): a late resume does nothing. */
    void settle() {
        if (calling != null) {
            calling.settle();
        }
        if (waiting != null) {
            waiting.settle();
            waiting = null;
        }
        cancelDeadline();
    }

    /** The stream ended: a suspended action is told to stop. */
    void cancel() {
        cancelDeadline();
        if (calling != null) {
            calling.cancel();
        }
        if (waiting != null) {
            PendingAction action = waiting;
            waiting = null;
            action.cancel();
        }
    }

    @Override
    public void resumed(PendingAction action, Verdict verdict) {
        if (action != waiting) {
            return;
        }
        waiting = null;
        cancelDeadline();
        if (!host.alive()) {
            return;
        }
        finalEvaluation |= finalWhileWaiting;
        finalWhileWaiting = false;
        if (host.served()) {
            conclude(Verdict.STOP);
        } else if (verdict == Verdict.CONTINUE || verdict == Verdict.WAIT) {
            conclude(run(waitingIndex + 1));
        } else {
            conclude(verdict);
        }
    }

    private void conclude(Verdict verdict) {
        if (verdict == Verdict.PENDING && suspensionTimeoutMillis > 0) {
            waitingDeadline = loop.schedule(this::timedOut, suspensionTimeoutMillis, TimeUnit.MILLISECONDS);
        }
        host.concluded(verdict);
    }

    private void timedOut() {
        waitingDeadline = null;
        if (waiting == null) {
            return;
        }
        cancel();
        host.suspensionTimedOut();
    }

    private void cancelDeadline() {
        if (waitingDeadline != null) {
            waitingDeadline.cancel(false);
            waitingDeadline = null;
        }
    }

    /** The rules from index {@code from}: ALLOW, STOP, WAIT, PENDING, or CONTINUE (no rule decided). */
    private Verdict run(int from) {
        for (int i = from, n = rules.size(); i < n; i++) {
            Verdict verdict = call(rules.get(i));
            if (verdict == Verdict.PENDING) {
                waitingIndex = i;
                return verdict;
            }
            if (host.served()) {
                return Verdict.STOP;
            }
            if (verdict != Verdict.CONTINUE) {
                return verdict;
            }
        }
        return Verdict.CONTINUE;
    }

    private Verdict call(Action action) {
        Verdict verdict;
        inCall = true;
        try {
            verdict = action.execute(txn);
        } catch (RuntimeException e) {
            if (calling != null) {
                // Thrown after suspend(): the suspension is void (the exception closes the connection).
                calling.settle();
                calling = null;
            }
            throw e;
        } finally {
            inCall = false;
        }
        PendingAction suspension = calling;
        calling = null;
        if (verdict != Verdict.PENDING) {
            if (suspension != null) {
                suspension.settle();
            }
            return verdict;
        }
        if (suspension == null) {
            LOG.warn("a content action returned PENDING without suspend(); taken as CONTINUE");
            return Verdict.CONTINUE;
        }
        Verdict early = suspension.returnedPending();
        if (early == null) {
            waiting = suspension;
            return Verdict.PENDING;
        }
        return early;
    }
}
