package io.luagate.kernel.rule.engine;

import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.RuleList;
import io.luagate.spi.rule.RulePolicy;
import io.luagate.spi.rule.RuleRun;
import io.luagate.spi.rule.Suspension;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link RuleRun}: calls a list's actions in order, as HAProxy's rule evaluation does. The first
 * action that decides ends the list; one that suspends stops it, and its resume goes on exactly
 * as if it had returned then: CONTINUE (or WAIT) with the next rule, anything else as the list's
 * end. A trigger for the last evaluation that comes while an action is suspended is remembered,
 * not acted on: a list never runs twice over one suspended action. What differs between HTTP and
 * content rules is the {@link RulePolicy} and the owner's part.
 *
 * <p>Confined to the stream's event loop.
 */
final class RuleEvaluation implements RuleRun, PendingAction.Listener {

    private final RuleSource source;
    private final Transaction txn;
    private final EventExecutor loop;
    private final RulePolicy policy;
    private final Owner owner;
    private boolean inCall;
    /** The suspension asked for by the action being called. */
    private PendingAction calling;
    /** The suspension the rules stopped at, with where they stopped. */
    private PendingAction waiting;
    private RuleList waitingList;
    private List<Action> waitingRules;
    private int waitingIndex;
    private ScheduledFuture<?> waitingDeadline;
    private boolean finalEvaluation;
    private boolean finalWhileWaiting;
    private int mayChangeMarks;

    RuleEvaluation(RuleSource source, Transaction txn, EventExecutor loop, RulePolicy policy, Owner owner) {
        this.source = source;
        this.txn = txn;
        this.loop = loop;
        this.policy = policy;
        this.owner = owner;
    }

    @Override
    public void run(RuleList list, boolean last) {
        if (waiting != null) {
            finalWhileWaiting |= last;
            return;
        }
        finalEvaluation = last;
        conclude(list, run(list, source.rules(list), 0));
    }

    @Override
    public boolean suspended() {
        return waiting != null;
    }

    @Override
    public boolean inLastEvaluation() {
        return finalEvaluation || finalWhileWaiting;
    }

    @Override
    public void markMayChange() {
        if (!finalEvaluation) {
            mayChangeMarks++;
        }
    }

    @Override
    public int mayChangeMarks() {
        return mayChangeMarks;
    }

    @Override
    public Suspension suspend() {
        if (!inCall) {
            throw new IllegalStateException("only a running action can suspend the rules");
        }
        if (calling != null) {
            throw new IllegalStateException("this action already suspended the rules");
        }
        calling = new PendingAction(loop, this);
        return calling;
    }

    @Override
    public void settle() {
        if (calling != null) {
            calling.settle();
        }
        if (waiting != null) {
            waiting.settle();
            waiting = null;
            waitingRules = null;
        }
        cancelDeadline();
    }

    @Override
    public void cancel() {
        cancelDeadline();
        if (calling != null) {
            calling.cancel();
        }
        if (waiting != null) {
            PendingAction action = waiting;
            waiting = null;
            waitingRules = null;
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
        RuleList list = waitingList;
        List<Action> rules = waitingRules;
        waitingRules = null;
        if (!owner.alive()) {
            return;
        }
        finalEvaluation |= finalWhileWaiting;
        finalWhileWaiting = false;
        if (owner.halted()) {
            conclude(list, Verdict.STOP);
        } else if (verdict == Verdict.CONTINUE || verdict == Verdict.WAIT) {
            conclude(list, run(list, rules, waitingIndex + 1));
        } else {
            conclude(list, verdict);
        }
    }

    private void conclude(RuleList list, Verdict verdict) {
        if (verdict == Verdict.PENDING && policy.suspensionTimeoutMillis() > 0) {
            waitingDeadline = loop.schedule(this::timedOut, policy.suspensionTimeoutMillis(), TimeUnit.MILLISECONDS);
        }
        owner.concluded(list, verdict);
    }

    private void timedOut() {
        waitingDeadline = null;
        if (waiting == null) {
            return;
        }
        cancel();
        owner.suspensionTimedOut();
    }

    private void cancelDeadline() {
        if (waitingDeadline != null) {
            waitingDeadline.cancel(false);
            waitingDeadline = null;
        }
    }

    /** The rules from index {@code from}: ALLOW, STOP, WAIT, PENDING, or CONTINUE (no rule decided). */
    private Verdict run(RuleList list, List<Action> rules, int from) {
        for (int i = from, n = rules.size(); i < n; i++) {
            Verdict verdict = call(rules.get(i));
            if (verdict == Verdict.PENDING) {
                waitingList = list;
                waitingRules = rules;
                waitingIndex = i;
                return verdict;
            }
            if (owner.halted()) {
                return Verdict.STOP;
            }
            if (verdict == Verdict.CONTINUE || verdict == Verdict.WAIT && !policy.waitDecides()) {
                // WAIT where rules run once on complete data means "not matched".
                continue;
            }
            return verdict;
        }
        return Verdict.CONTINUE;
    }

    private Verdict call(Action action) {
        Verdict verdict;
        inCall = true;
        try {
            verdict = action.execute(txn);
        } catch (RuntimeException e) {
            if (policy.failuresPropagate()) {
                if (calling != null) {
                    // Thrown after suspend(): the suspension is void (the exception ends the stream).
                    calling.settle();
                    calling = null;
                }
                throw e;
            }
            // A value the message cannot carry (an empty method, a CR in a header...): the rewrite
            // is not applied and the rules go on, as for a failed rewrite in HAProxy.
            ActionFailures.report(e);
            verdict = Verdict.CONTINUE;
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
            ActionFailures.report(new IllegalStateException("an action returned PENDING without suspend(); taken as CONTINUE"));
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
