package io.luagate.plugin.tcp;

import io.luagate.spi.http.HttpHead;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.PendingAction;
import io.luagate.spi.rule.Suspension;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.service.TcpService;
import io.luagate.spi.stream.ConnectListener;
import io.luagate.spi.stream.ReusePolicy;
import io.luagate.spi.stream.Session;
import io.luagate.spi.stream.Stream;
import io.luagate.spi.stream.StreamPhase;
import io.luagate.spi.stream.TerminationCause;
import io.luagate.spi.stream.UpstreamConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP session: {@code tcp-request content} rules (after reading the client's first bytes for
 * up to {@code inspect-delay}, when set), then the backend is chosen and connected (with the
 * kernel's retries), and both connections are handed to the kernel's tunnel. Bytes read before
 * the tunnel exists (inspected, or delivered with a FIN: epoll reads on RDHUP) are kept and
 * passed on, and so is the FIN itself.
 *
 * <p>An action may suspend the rules ({@link Transaction#suspend()}): the client is not read
 * meanwhile (what arrived stays held), a later trigger to decide (more data, the FIN, the end of
 * inspect-delay) is remembered instead of re-running the rules, and the resume goes on from the
 * next rule. {@code timeout.client} bounds the wait. An action may also hand the connection to a
 * {@link TcpService} ({@code use-service}).
 */
final class TcpSessionHandler extends ChannelInboundHandlerAdapter
        implements ConnectListener, Transaction, PendingAction.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(TcpSessionHandler.class);

    private final Session session;
    private Stream stream;
    private ChannelHandlerContext ctx;
    private List<ByteBuf> early;
    private long earlyBytes;
    private boolean inputShutdown;
    private boolean inspecting;
    private boolean decided;
    private boolean finalEvaluation;
    private int mayChangeMarks;
    private ScheduledFuture<?> inspectionDeadline;
    /** What arrived so far as one array, for req.payload / req.len; rebuilt when more arrives. */
    private byte[] inspected;
    private boolean inCall;
    /** The suspension asked for by the action being called. */
    private PendingAction calling;
    /** The suspension the rules stopped at, the rule's index, and whether a final evaluation came meanwhile. */
    private PendingAction waiting;
    private int waitingIndex;
    private boolean finalWhileWaiting;
    private ScheduledFuture<?> waitingDeadline;
    private TcpServiceConnection service;

    TcpSessionHandler(Session session) {
        this.session = session;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        stream = session.newStream();
        stream.transaction(this);
        long delay = session.frontend().tcpInspectDelayMillis();
        ctx.fireChannelActive();
        if (delay > 0 && !session.frontend().tcpRequestRules().isEmpty()) {
            // Inspect: read what the client sends, for up to inspect-delay, until a rule decides.
            inspecting = true;
            inspectionDeadline = ctx.executor().schedule(() -> decide(true), delay, TimeUnit.MILLISECONDS);
            // Rules that do not need data decide at once (server-speaks-first protocols go through).
            decide(false);
            return;
        }
        decide(true);
    }

    /**
     * Runs the content rules on what arrived so far, as HAProxy does: the first accept or reject
     * decides; a rule whose condition read data that may still grow and did not match waits for
     * more (until inspect-delay ends, the client's FIN, or a full buffer: the last evaluation takes
     * what is there as final); when no rule decides, the connection is accepted.
     */
    private void decide(boolean last) {
        if (decided || !ctx.channel().isActive()) {
            return;
        }
        if (waiting != null) {
            // The rules are not re-run under a suspended action; its resume sees this.
            finalWhileWaiting |= last;
            return;
        }
        finalEvaluation = last;
        conclude(runContentRules(0));
    }

    private void conclude(Verdict verdict) {
        if (verdict == Verdict.PENDING) {
            long timeout = session.frontend().clientTimeoutMillis();
            if (timeout > 0) {
                waitingDeadline = ctx.executor().schedule(this::actionTimedOut, timeout, TimeUnit.MILLISECONDS);
            }
            readWhileWaiting();
            return;
        }
        if (verdict == Verdict.WAIT) {
            ctx.read();
            return;
        }
        decided = true;
        inspecting = false;
        if (inspectionDeadline != null) {
            inspectionDeadline.cancel(false);
        }
        if (service != null) {
            return;
        }
        if (verdict == Verdict.STOP) {
            releaseEarly();
            stream.end();
            ctx.close();
            return;
        }
        proceed();
    }

    private void proceed() {
        Backend backend = stream.route(this);
        if (backend == null) {
            stream.terminate(TerminationCause.PROXY, StreamPhase.REQUEST);
            stream.end();
            ctx.close();
            return;
        }
        stream.connect(ReusePolicy.NEW_CONNECTION, this);
    }

    /**
     * {@code tcp-request content} rules from index {@code from}: ALLOW (accept), STOP (reject or
     * served), WAIT, PENDING (an action suspended them), or CONTINUE (no rule decided).
     */
    private Verdict runContentRules(int from) {
        List<Action> rules = session.frontend().tcpRequestRules();
        for (int i = from, n = rules.size(); i < n; i++) {
            Verdict verdict = call(rules.get(i));
            if (verdict == Verdict.PENDING) {
                waitingIndex = i;
                return verdict;
            }
            if (service != null) {
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
            verdict = action.execute(this);
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
            return verdict;
        }
        if (suspension == null) {
            LOG.warn("a tcp-request action returned PENDING without suspend(); taken as CONTINUE");
            return Verdict.CONTINUE;
        }
        Verdict early = suspension.returnedPending();
        if (early == null) {
            waiting = suspension;
            return Verdict.PENDING;
        }
        return early;
    }

    @Override
    public Suspension suspend() {
        if (!inCall) {
            throw new IllegalStateException("only a running action can suspend the rules");
        }
        if (calling != null) {
            throw new IllegalStateException("this action already suspended the rules");
        }
        calling = new PendingAction(ctx.executor(), this);
        return calling;
    }

    @Override
    public void resumed(PendingAction action, Verdict verdict) {
        if (action != waiting) {
            return;
        }
        waiting = null;
        cancelWaitingDeadline();
        if (!ctx.channel().isActive()) {
            return;
        }
        finalEvaluation |= finalWhileWaiting;
        finalWhileWaiting = false;
        if (service != null) {
            conclude(Verdict.STOP);
        } else if (verdict == Verdict.CONTINUE || verdict == Verdict.WAIT) {
            conclude(runContentRules(waitingIndex + 1));
        } else {
            conclude(verdict);
        }
    }

    /**
     * Reads on while an action waits, up to tune.bufsize (what arrives is held for the rules, as
     * during inspection): a client that leaves is noticed, and a full buffer holds the client back.
     */
    private void readWhileWaiting() {
        if (!inputShutdown && earlyBytes < session.frontend().bufferSize() && ctx.channel().isActive()) {
            ctx.read();
        }
    }

    /** timeout.client passed with an action still suspended: the connection ends. */
    private void actionTimedOut() {
        waitingDeadline = null;
        if (waiting == null) {
            return;
        }
        cancelWaiting();
        stream.terminate(TerminationCause.INTERNAL, StreamPhase.REQUEST);
        releaseEarly();
        stream.end();
        ctx.close();
    }

    private void cancelWaitingDeadline() {
        if (waitingDeadline != null) {
            waitingDeadline.cancel(false);
            waitingDeadline = null;
        }
    }

    private void cancelWaiting() {
        cancelWaitingDeadline();
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
    public void serve(TcpService handler) {
        if (service != null || decided) {
            throw new IllegalStateException("the connection is decided already");
        }
        service = new TcpServiceConnection(ctx, this, early, inputShutdown, session.frontend().clientTimeoutMillis());
        early = null;
        inspected = null;
        decided = true;
        inspecting = false;
        if (inspectionDeadline != null) {
            inspectionDeadline.cancel(false);
        }
        if (calling != null) {
            calling.settle();
        }
        if (waiting != null) {
            // Served from a suspension: the rules are over, whether or not the action resumes.
            waiting.settle();
            waiting = null;
            cancelWaitingDeadline();
        }
        try {
            handler.serve(service);
        } catch (RuntimeException e) {
            LOG.warn("a TCP service failed to start", e);
            ctx.close();
        }
    }

    @Override
    public Stream stream() {
        return stream;
    }

    @Override
    public void reply(HttpReply reply) {
        // No HTTP here: an action that answers ends the connection.
        stream.terminate(TerminationCause.LOCAL, StreamPhase.REQUEST);
        ctx.close();
    }

    @Override
    public HttpHead request() {
        return null;
    }

    @Override
    public HttpHead response() {
        return null;
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
    public byte[] requestBody() {
        if (!inspecting) {
            return null;
        }
        if (inspected == null) {
            int size = 0;
            if (early != null) {
                for (ByteBuf buf : early) {
                    size += buf.readableBytes();
                }
            }
            byte[] data = new byte[size];
            int at = 0;
            if (early != null) {
                for (ByteBuf buf : early) {
                    buf.getBytes(buf.readerIndex(), data, at, buf.readableBytes());
                    at += buf.readableBytes();
                }
            }
            inspected = data;
        }
        return inspected;
    }


    @Override
    public void connected(UpstreamConnection connection) {
        Channel upstream = connection.channel();
        if (!ctx.channel().isActive()) {
            upstream.close();
            releaseEarly();
            stream.terminate(TerminationCause.CLIENT_ABORT, StreamPhase.CONNECT);
            stream.end();
            return;
        }
        if (early != null) {
            for (ByteBuf buf : early) {
                stream.addBytesFromClient(buf.readableBytes());
                upstream.write(buf, upstream.voidPromise());
            }
            early = null;
            upstream.flush();
        }
        ctx.pipeline().remove(this);
        stream.tunnel(upstream);
        if (inputShutdown) {
            // The client's FIN came before the tunnel: let the tunnel carry it across now.
            ctx.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
    }

    @Override
    public void failed(Throwable cause) {
        releaseEarly();
        stream.end();
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (service != null && msg instanceof ByteBuf buf) {
            service.data(buf);
            return;
        }
        if (msg instanceof ByteBuf buf) {
            if (early == null) {
                early = new ArrayList<>(2);
            }
            early.add(buf);
            earlyBytes += buf.readableBytes();
            inspected = null;
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (service != null) {
            service.readComplete();
            return;
        }
        if (waiting != null) {
            finalWhileWaiting |= inputShutdown || earlyBytes >= session.frontend().bufferSize();
            readWhileWaiting();
            return;
        }
        if (inspecting) {
            decide(inputShutdown || earlyBytes >= session.frontend().bufferSize());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShutdown = true;
            if (service != null) {
                service.inputEnded();
            } else if (inspecting) {
                decide(true);
            }
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (inspectionDeadline != null) {
            inspectionDeadline.cancel(false);
        }
        releaseEarly();
        if (service != null) {
            service.closed();
        } else if (stream != null && !stream.ended()) {
            boolean wasWaiting = waiting != null;
            cancelWaiting();
            stream.terminate(TerminationCause.CLIENT_ABORT, wasWaiting || !decided ? StreamPhase.REQUEST : StreamPhase.CONNECT);
            if (!decided) {
                // Nothing else will end it: no connect is under way.
                stream.end();
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (service != null) {
            service.writabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void releaseEarly() {
        if (early != null) {
            early.forEach(ByteBuf::release);
            early = null;
        }
    }
}
