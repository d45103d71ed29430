package io.luagate.plugin.tcp;

import io.luagate.spi.http.HttpHead;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.sample.VarScope;
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

/**
 * One TCP session: on accept, choose the backend and connect (with the kernel's retries), then
 * hand both connections to the kernel's tunnel. The client is not read meanwhile, but the
 * transport may still deliver what arrived together with a FIN (epoll reads on RDHUP): those
 * bytes, and the FIN itself, are kept and passed on once the upstream connection exists.
 */
final class TcpSessionHandler extends ChannelInboundHandlerAdapter implements ConnectListener, Transaction {

    private final Session session;
    private Stream stream;
    private ChannelHandlerContext ctx;
    private List<ByteBuf> early;
    private boolean inputShutdown;

    TcpSessionHandler(Session session) {
        this.session = session;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        stream = session.newStream();
        stream.transaction(this);
        if (!runContentRules()) {
            stream.end();
            ctx.close();
            return;
        }
        Backend backend = stream.route(this);
        if (backend == null) {
            stream.terminate(TerminationCause.PROXY, StreamPhase.REQUEST);
            stream.end();
            ctx.close();
            return;
        }
        stream.connect(ReusePolicy.NEW_CONNECTION, this);
        ctx.fireChannelActive();
    }

    /** {@code tcp-request content} rules; {@code false} when one rejected the connection. */
    private boolean runContentRules() {
        List<Action> rules = session.frontend().tcpRequestRules();
        for (int i = 0, n = rules.size(); i < n; i++) {
            Verdict verdict = rules.get(i).execute(this);
            if (verdict == Verdict.STOP) {
                return false;
            }
            if (verdict == Verdict.ALLOW) {
                return true;
            }
        }
        return true;
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
    public byte[] requestBody() {
        return null;
    }

    @Override
    public Object var(VarScope scope, String name) {
        return stream.var(scope, name);
    }

    @Override
    public void setVar(VarScope scope, String name, Object value) {
        stream.setVar(scope, name, value);
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
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShutdown = true;
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
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
