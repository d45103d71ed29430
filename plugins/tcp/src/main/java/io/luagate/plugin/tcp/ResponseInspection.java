package io.luagate.plugin.tcp;

import io.luagate.spi.proxy.Backend;
import io.luagate.spi.rule.RuleEngine;
import io.luagate.spi.rule.RuleList;
import io.luagate.spi.rule.RulePolicy;
import io.luagate.spi.rule.RuleRun;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of a TCP stream while the backend's {@code tcp-response content} rules run, as
 * HAProxy runs them: once when the connection is made, then each time the server sends more,
 * holding what it sent, until a rule accepts, rejects or closes, {@code tcp-response
 * inspect-delay} ends, the server ends its output, or {@code tune.bufsize} bytes are held (then
 * what arrived is final). A suspended action may take up to {@code timeout.server}. Installed on
 * the server connection's pipeline, removed once the rules decided ({@code AN_RES_INSPECT}).
 *
 * <p>Confined to the stream's event loop.
 */
final class ResponseInspection extends ChannelInboundHandlerAdapter implements RuleRun.Owner {

    /** The stream the rules decide for. */
    interface Outcome {
        /**
         * The rules came to a verdict ({@link #verdict()}): accepted, the held bytes go to the client,
         * then the tunnel (or, after {@code close}, the end); refused, both connections close.
         */
        void responseDecided();

        /** An action stayed suspended past {@code timeout.server}; it was cancelled. */
        void responseActionTimedOut();

        /** Whether the client connection is still there. */
        boolean clientAlive();

        /** The server connection's writability changed: the client is read only while it can take more. */
        void serverWritabilityChanged();
    }

    private static final Logger LOG = LoggerFactory.getLogger(ResponseInspection.class);

    private final Outcome outcome;
    private final Channel upstream;
    private final TcpChannel response;
    private final RuleRun rules;
    private final long inspectDelayMillis;
    private boolean inspecting;
    private boolean decided;
    private Verdict verdict;
    private boolean serverEnded;
    private boolean closeServer;
    private ScheduledFuture<?> deadline;

    ResponseInspection(Outcome outcome, Transaction txn, RuleEngine engine, Channel upstream, TcpChannel response,
                       Backend backend) {
        this.outcome = outcome;
        this.upstream = upstream;
        this.response = response;
        this.inspectDelayMillis = backend.tcpResponseInspectDelayMillis();
        this.rules = engine.newRun(txn, RulePolicy.content(backend.serverTimeoutMillis()), this);
    }

    /** Runs the rules a first time, on no data yet, and reads the server while they wait. */
    void start() {
        // The server may send its bytes and its FIN before the tunnel exists.
        upstream.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        upstream.pipeline().addLast("luagate-tcp-response", this);
        if (inspectDelayMillis > 0) {
            inspecting = true;
            deadline = upstream.eventLoop().schedule(() -> decide(true), inspectDelayMillis, TimeUnit.MILLISECONDS);
            decide(false);
        } else {
            decide(true);
        }
    }

    RuleRun rules() {
        return rules;
    }

    boolean decided() {
        return decided;
    }

    /** The verdict, once the rules came to one: STOP (refused), else accepted; {@code null} before. */
    Verdict verdict() {
        return verdict;
    }

    /** Whether the server ended its output before the rules decided: the tunnel passes its FIN on. */
    boolean serverEnded() {
        return serverEnded;
    }

    /** Whether a rule asked for {@code close}: the server connection goes once the rules accepted. */
    boolean closesServer() {
        return closeServer;
    }

    /** Whether the rules look at the server's bytes now and may still wait for more of them. */
    boolean inspecting() {
        return inspecting && !decided && !rules.inLastEvaluation();
    }

    /** {@code tcp-response content close}: the server connection closes once the rules end. */
    void closeServer() {
        closeServer = true;
    }

    /** The client went away: a suspended action is cancelled, nothing more is decided. */
    void abandon() {
        decided = true;
        rules.cancel();
        detach();
    }

    private void decide(boolean last) {
        if (decided || !outcome.clientAlive()) {
            return;
        }
        rules.run(RuleList.BACKEND_TCP_RESPONSE_CONTENT, last);
        if (last) {
            // A caller waiting for more bytes looks again: these rules will not wait any more.
            response.wake();
        }
    }

    @Override
    public void concluded(RuleList list, Verdict verdict) {
        if (verdict == Verdict.PENDING || verdict == Verdict.WAIT) {
            readServer();
            return;
        }
        decided = true;
        this.verdict = verdict;
        inspecting = false;
        response.wake();
        detach();
        outcome.responseDecided();
    }

    @Override
    public void suspensionTimedOut() {
        decided = true;
        detach();
        outcome.responseActionTimedOut();
    }

    @Override
    public boolean alive() {
        return !decided && outcome.clientAlive();
    }

    @Override
    public boolean halted() {
        return false;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf && !decided) {
            response.received(buf);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (decided) {
            return;
        }
        boolean last = serverEnded || response.isFull();
        if (rules.suspended()) {
            if (last) {
                decide(true);
            }
            readServer();
            return;
        }
        decide(last);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            endOfServerOutput();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        endOfServerOutput();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        outcome.serverWritabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("server connection during tcp-response inspection: {}", cause.toString());
        ctx.close();
    }

    private void endOfServerOutput() {
        if (serverEnded) {
            return;
        }
        serverEnded = true;
        response.inputEnded();
        decide(true);
    }

    /** Reads the server once more, while there is room and it may still send. */
    private void readServer() {
        if (!decided && response.mayReceive() && upstream.isActive()) {
            upstream.read();
        }
    }

    private void detach() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        if (upstream.pipeline().context(this) != null) {
            upstream.pipeline().remove(this);
        }
    }
}
