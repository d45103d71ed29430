package io.luagate.plugin.tcp;

import io.luagate.spi.http.HttpHead;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
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

/**
 * One TCP session: {@code tcp-request content} rules (after reading the client's first bytes for
 * up to {@code inspect-delay}, when set), then the backend is chosen and connected (with the
 * kernel's retries), and both connections are handed to the kernel's tunnel. Bytes read before
 * the tunnel exists (inspected, or delivered with a FIN: epoll reads on RDHUP) are kept and
 * passed on, and so is the FIN itself.
 */
final class TcpSessionHandler extends ChannelInboundHandlerAdapter implements ConnectListener, Transaction {

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
        finalEvaluation = last;
        Verdict verdict = runContentRules();
        if (verdict == Verdict.WAIT) {
            ctx.read();
            return;
        }
        decided = true;
        inspecting = false;
        if (inspectionDeadline != null) {
            inspectionDeadline.cancel(false);
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

    /** {@code tcp-request content} rules: ALLOW (accept), STOP (reject), WAIT, or CONTINUE (no rule decided). */
    private Verdict runContentRules() {
        List<Action> rules = session.frontend().tcpRequestRules();
        for (int i = 0, n = rules.size(); i < n; i++) {
            Verdict verdict = rules.get(i).execute(this);
            if (verdict != Verdict.CONTINUE) {
                return verdict;
            }
        }
        return Verdict.CONTINUE;
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
        if (inspecting) {
            decide(inputShutdown || earlyBytes >= session.frontend().bufferSize());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShutdown = true;
            if (inspecting) {
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
        if (stream != null && !stream.ended()) {
            stream.terminate(TerminationCause.CLIENT_ABORT, StreamPhase.CONNECT);
        }
        ctx.fireChannelInactive();
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
