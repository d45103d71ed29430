package io.luagate.plugin.tcp;

import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.rule.RuleEngine;
import io.luagate.spi.rule.RuleList;
import io.luagate.spi.rule.RulePolicy;
import io.luagate.spi.rule.RuleRun;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client side of a TCP stream while the frontend's {@code tcp-request content} rules run, as
 * HAProxy runs them ({@code AN_REQ_INSPECT_FE}): once at accept; with {@code inspect-delay}, again
 * each time the client sends more, holding what it sent, until a rule accepts or rejects,
 * inspect-delay ends, the client ends its output, or {@code tune.bufsize} bytes are held (then
 * what arrived is final). Rules that do not need data decide at once, so server-speaks-first
 * protocols go through. While an action is suspended the client is read on, up to
 * {@code tune.bufsize}: a client that leaves is noticed, a full buffer holds it back; the action
 * may take up to {@code timeout.client}.
 *
 * <p>Confined to the stream's event loop.
 */
final class RequestInspection implements RuleRun.Owner {

    /** The stream the rules decide for. */
    interface Outcome {

        /** The rules came to a verdict ({@link #verdict()}): the stream goes on. */
        void requestDecided();

        /** A suspended action did not resume within {@code timeout.client}; it was cancelled. */
        void requestActionTimedOut();

        /** Whether a rule handed the connection to a service: the rules end there. */
        boolean served();
    }

    private final ChannelHandlerContext ctx;
    private final TcpChannel request;
    private final RuleEngine engine;
    private final RuleRun rules;
    private final long inspectDelayMillis;
    private final Outcome outcome;
    private boolean started;
    private boolean inspecting;
    private Verdict verdict;
    private ScheduledFuture<?> deadline;

    RequestInspection(ChannelHandlerContext ctx, Transaction txn, RuleEngine engine, TcpChannel request, Frontend frontend,
                      Outcome outcome) {
        this.ctx = ctx;
        this.request = request;
        this.outcome = outcome;
        this.inspectDelayMillis = frontend.tcpInspectDelayMillis();
        this.engine = engine;
        this.rules = engine.newRun(txn, RulePolicy.content(frontend.clientTimeoutMillis()), this);
    }

    boolean started() {
        return started;
    }

    /** Runs the rules a first time; with inspect-delay, on no data yet, reading the client while they wait. */
    void start() {
        started = true;
        if (inspectDelayMillis > 0 && !engine.isEmpty(RuleList.FRONTEND_TCP_REQUEST_CONTENT)) {
            inspecting = true;
            deadline = ctx.executor().schedule(() -> decide(true), inspectDelayMillis, TimeUnit.MILLISECONDS);
            decide(false);
            return;
        }
        decide(true);
    }

    /** The verdict, once the rules came to one: ALLOW, CONTINUE (no rule decided: accepted) or STOP. */
    Verdict verdict() {
        return verdict;
    }

    RuleRun rules() {
        return rules;
    }

    /** Whether the rules may still wait for the client's bytes (inspect-delay runs). */
    boolean inspecting() {
        return inspecting;
    }

    /** Whether more of the client's bytes may still change what the rules decide. */
    boolean moreMayCome() {
        return inspecting && !rules.inLastEvaluation();
    }

    /** The client's bytes read so far are all there is for now; {@code last}: no more will count. */
    void readComplete(boolean last) {
        if (rules.suspended()) {
            if (last) {
                decide(true);
            }
            readWhileSuspended();
            return;
        }
        if (inspecting) {
            decide(last);
        }
    }

    /** The client ended its output: what is held is final. */
    void inputEnded() {
        if (inspecting) {
            decide(true);
        }
    }

    /** A service took the connection (maybe from a suspended action): nothing more is decided. */
    void settle() {
        verdict = Verdict.STOP;
        inspecting = false;
        cancelDeadline();
        rules.settle();
    }

    /** The stream ends: a suspended action is told to stop, inspect-delay no longer runs. */
    void cancel() {
        cancelDeadline();
        rules.cancel();
    }

    /**
     * Runs the rules on what arrived so far; {@code last}: inspect-delay ended, the client's FIN, or
     * a full buffer (what is there is final). When no rule decides, the connection is accepted.
     */
    private void decide(boolean last) {
        if (verdict != null || !ctx.channel().isActive()) {
            return;
        }
        rules.run(RuleList.FRONTEND_TCP_REQUEST_CONTENT, last);
        if (last) {
            // A caller waiting for more bytes looks again: these rules will not wait any more.
            request.wake();
        }
    }

    private void readWhileSuspended() {
        if (request.mayReceive() && ctx.channel().isActive()) {
            ctx.read();
        }
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    @Override
    public void concluded(RuleList list, Verdict verdict) {
        if (verdict == Verdict.PENDING) {
            readWhileSuspended();
            return;
        }
        if (verdict == Verdict.WAIT) {
            ctx.read();
            return;
        }
        this.verdict = verdict;
        inspecting = false;
        cancelDeadline();
        request.wake();
        outcome.requestDecided();
    }

    @Override
    public void suspensionTimedOut() {
        outcome.requestActionTimedOut();
    }

    @Override
    public boolean alive() {
        return ctx.channel().isActive();
    }

    @Override
    public boolean halted() {
        // A rule that handed the connection to a service ends the rules there.
        return outcome.served();
    }
}
