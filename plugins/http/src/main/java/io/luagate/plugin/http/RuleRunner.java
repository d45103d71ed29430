package io.luagate.plugin.http;

import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.PendingAction;
import io.luagate.spi.rule.Suspension;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;

/**
 * Runs the rule lists of one exchange and remembers where a list stopped for an action that
 * suspended, so that its resume goes on exactly as if the action had returned then: CONTINUE with
 * the next rule, ALLOW with what follows the list, STOP as an answer. Confined to the client's loop.
 */
final class RuleRunner implements PendingAction.Listener {

    /** The four HTTP rule lists, in the order a stream meets them. */
    enum Stage { FRONTEND_REQUEST, BACKEND_REQUEST, BACKEND_RESPONSE, FRONTEND_RESPONSE }

    /** The exchange, as the runner needs it. */
    interface Host {

        /** Whether the stream must not go on: answered by the proxy, handed to a service, or ended. */
        boolean answered();

        /** {@code stage}'s list ran to its end, or an action allowed: the step after it. */
        void stageDone(Stage stage);

        /** An action said STOP without answering. */
        void stoppedUnanswered(Stage stage);
    }

    private final Transaction txn;
    private final EventExecutor loop;
    private final Host host;
    private boolean inCall;
    /** The suspension created by the action being called, if it asked for one. */
    private PendingAction calling;
    /** The suspension the rules stopped at, with where they stopped. */
    private PendingAction waiting;
    private Stage waitingStage;
    private List<Action> waitingRules;
    private int waitingIndex;

    RuleRunner(Transaction txn, EventExecutor loop, Host host) {
        this.txn = txn;
        this.loop = loop;
        this.host = host;
    }

    /** Runs {@code rules} from index {@code from}; the host hears how the list ended, unless it waits. */
    void run(Stage stage, List<Action> rules, int from) {
        for (int i = from, n = rules.size(); i < n; i++) {
            Verdict verdict = call(rules.get(i));
            if (verdict == Verdict.PENDING) {
                waitingStage = stage;
                waitingRules = rules;
                waitingIndex = i;
                return;
            }
            if (!apply(stage, rules, i, verdict)) {
                return;
            }
        }
        host.stageDone(stage);
    }

    /** Acts on one action's verdict; {@code true} when the list goes on with the next rule. */
    private boolean apply(Stage stage, List<Action> rules, int index, Verdict verdict) {
        if (host.answered()) {
            return false;
        }
        switch (verdict) {
            case STOP -> {
                host.stoppedUnanswered(stage);
                return false;
            }
            case ALLOW -> {
                host.stageDone(stage);
                return false;
            }
            default -> {
                // CONTINUE; WAIT only comes from data that may still grow, and HTTP rules run once:
                // it means "not matched".
                return true;
            }
        }
    }

    private Verdict call(Action action) {
        Verdict verdict;
        inCall = true;
        try {
            verdict = action.execute(txn);
        } catch (RuntimeException e) {
            // A value the message cannot carry (an empty method, a CR in a header...): the rewrite
            // is not applied and the rules go on, as for a failed rewrite in HAProxy.
            RuleFailures.report(e);
            verdict = Verdict.CONTINUE;
        } finally {
            inCall = false;
        }
        PendingAction suspension = calling;
        calling = null;
        if (verdict == Verdict.PENDING) {
            if (suspension == null) {
                RuleFailures.report(new IllegalStateException("an action returned PENDING without suspend()"));
                return Verdict.CONTINUE;
            }
            Verdict early = suspension.returnedPending();
            if (early == null) {
                waiting = suspension;
                return Verdict.PENDING;
            }
            return early;
        }
        if (suspension != null) {
            suspension.settle();
        }
        return verdict;
    }

    /** {@link Transaction#suspend()}: only the action being called may ask, once. */
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

    @Override
    public void resumed(PendingAction action, Verdict verdict) {
        if (action != waiting) {
            return;
        }
        waiting = null;
        Stage stage = waitingStage;
        List<Action> rules = waitingRules;
        int index = waitingIndex;
        waitingRules = null;
        if (apply(stage, rules, index, verdict)) {
            run(stage, rules, index + 1);
        }
    }

    /** Whether the rules wait for a suspended action. */
    boolean waiting() {
        return waiting != null;
    }

    /** The stage the rules wait in, or {@code null}. */
    Stage waitingStage() {
        return waiting != null ? waitingStage : null;
    }

    /** The action answered by itself (reply, service) while pending: nothing to cancel any more. */
    void settle() {
        if (calling != null) {
            calling.settle();
        }
        if (waiting != null) {
            waiting.settle();
            waiting = null;
            waitingRules = null;
        }
    }

    /** The stream ended: a pending action is cancelled and never resumes. */
    void cancel() {
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
}
