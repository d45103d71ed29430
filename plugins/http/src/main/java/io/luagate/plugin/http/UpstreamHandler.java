package io.luagate.plugin.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an upstream connection: passes events to the exchange that owns the
 * connection, if any. A pooled (detached) connection must stay silent: anything it receives is
 * out of protocol, so the connection is closed and the pool will skip it.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    private HttpExchange exchange;

    void attach(HttpExchange exchange) {
        this.exchange = exchange;
    }

    void detach() {
        this.exchange = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (exchange != null) {
            exchange.upstreamRead(msg);
        } else {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.upstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.upstreamWritabilityChanged();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.upstreamClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets land here; channelInactive follows and does the accounting.
        ctx.close();
    }
}
