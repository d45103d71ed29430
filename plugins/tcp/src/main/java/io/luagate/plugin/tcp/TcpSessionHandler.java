package io.luagate.plugin.tcp;

import io.luagate.spi.proxy.Backend;
import io.luagate.spi.stream.ConnectListener;
import io.luagate.spi.stream.ReusePolicy;
import io.luagate.spi.stream.Session;
import io.luagate.spi.stream.Stream;
import io.luagate.spi.stream.StreamPhase;
import io.luagate.spi.stream.TerminationCause;
import io.luagate.spi.stream.UpstreamConnection;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * One TCP session: on accept, choose the backend and connect (with the kernel's retries), then
 * hand both connections to the kernel's tunnel. Nothing is read from the client until the
 * upstream connection exists, so no byte has to be buffered here.
 */
final class TcpSessionHandler extends ChannelInboundHandlerAdapter implements ConnectListener {

    private final Session session;
    private Stream stream;
    private ChannelHandlerContext ctx;

    TcpSessionHandler(Session session) {
        this.session = session;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        stream = session.newStream();
        Backend backend = stream.route();
        if (backend == null) {
            stream.terminate(TerminationCause.PROXY, StreamPhase.REQUEST);
            stream.end();
            ctx.close();
            return;
        }
        stream.connect(ReusePolicy.NEW_CONNECTION, this);
        ctx.fireChannelActive();
    }

    @Override
    public void connected(UpstreamConnection connection) {
        if (!ctx.channel().isActive()) {
            connection.channel().close();
            stream.terminate(TerminationCause.CLIENT_ABORT, StreamPhase.CONNECT);
            stream.end();
            return;
        }
        ctx.pipeline().remove(this);
        stream.tunnel(connection.channel());
    }

    @Override
    public void failed(Throwable cause) {
        stream.end();
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // autoRead is off until the tunnel starts; nothing should arrive here.
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (stream != null && !stream.ended()) {
            stream.terminate(TerminationCause.CLIENT_ABORT, StreamPhase.CONNECT);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
