package io.luagate.plugin.tcp;

import io.luagate.spi.stream.Stream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * The kernel's tunnel, reduced to what codec tests need: bytes both ways, a FIN passed across
 * after what was read, both closed when both directions are done or one side goes away. The
 * stream ends then. No backpressure and no timer: the tests move a few bytes.
 */
final class FakeTunnel {

    private final Stream stream;
    private final Side client;
    private final Side server;
    private boolean ended;

    FakeTunnel(Stream stream, Channel clientChannel, Channel serverChannel) {
        this.stream = stream;
        this.client = new Side(clientChannel, true);
        this.server = new Side(serverChannel, false);
        client.peer = server;
        server.peer = client;
    }

    void start() {
        for (Side side : new Side[] {client, server}) {
            side.channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
            side.channel.pipeline().addLast("fake-tunnel", side);
        }
        for (Side side : new Side[] {client, server}) {
            if (side.channel.isActive()) {
                side.channel.config().setAutoRead(true);
                side.channel.read();
            } else {
                side.gone();
            }
        }
    }

    private void maybeEnd() {
        if (!ended && client.inputDone && server.inputDone) {
            ended = true;
            client.channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> client.channel.close());
            server.channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> server.channel.close());
            stream.end();
        }
    }

    private final class Side extends ChannelInboundHandlerAdapter {
        final Channel channel;
        final boolean isClient;
        Side peer;
        boolean inputDone;

        Side(Channel channel, boolean isClient) {
            this.channel = channel;
            this.isClient = isClient;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (isClient) {
                stream.addBytesFromClient(buf.readableBytes());
            } else {
                stream.addBytesToClient(buf.readableBytes());
            }
            peer.channel.writeAndFlush(buf);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent && !inputDone) {
                inputDone = true;
                if (peer.channel instanceof DuplexChannel duplex && peer.channel.isActive()) {
                    peer.channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> duplex.shutdownOutput());
                }
                maybeEnd();
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            gone();
        }

        void gone() {
            inputDone = true;
            peer.inputDone = true;
            maybeEnd();
        }
    }
}
