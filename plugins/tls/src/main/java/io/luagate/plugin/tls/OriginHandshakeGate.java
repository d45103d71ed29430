package io.luagate.plugin.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits between the TLS handler and the backend codec while a server connection's handshake runs.
 * The connection belongs to no stream yet: its failure (a wrong CA, a name that does not match, a
 * server that refuses) is reported through the handshake future as a failed connect, so the
 * codec's handlers never hear of it. Bytes decoded before the stream took the connection are held,
 * then handed on.
 */
final class OriginHandshakeGate extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(OriginHandshakeGate.class);

    private final ArrayDeque<Object> early = new ArrayDeque<>(1);

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        early.add(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // The handshake asks for the reads it needs; the codec has asked for none yet.
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent completion) {
            if (completion.isSuccess()) {
                ArrayDeque<Object> data = new ArrayDeque<>(early);
                early.clear();
                ctx.pipeline().remove(this);
                ctx.fireUserEventTriggered(event);
                if (!data.isEmpty()) {
                    while (!data.isEmpty()) {
                        ctx.fireChannelRead(data.poll());
                    }
                    ctx.fireChannelReadComplete();
                }
            } else {
                LOG.debug("TLS handshake with server {} failed: {}", ctx.channel().remoteAddress(),
                        completion.cause().toString());
                releaseEarly();
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // The handshake future fails with the reason; the codec never had this connection.
        releaseEarly();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("TLS error before the handshake with server {} ended: {}", ctx.channel().remoteAddress(),
                cause.toString());
        releaseEarly();
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseEarly();
    }

    private void releaseEarly() {
        while (!early.isEmpty()) {
            ReferenceCountUtil.release(early.poll());
        }
    }
}
