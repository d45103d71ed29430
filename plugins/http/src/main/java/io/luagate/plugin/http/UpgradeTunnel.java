package io.luagate.plugin.http;

import io.luagate.spi.stream.Stream;
import io.luagate.spi.stream.UpstreamConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * An exchange whose server agreed to a protocol upgrade (WebSocket...): the {@code 101} goes to the
 * client, then, once the decoders have returned from the read that brought it, both connections
 * leave HTTP and become the kernel's byte tunnel. What either side sends in between is kept here
 * and goes first. Confined to the client's event loop.
 */
final class UpgradeTunnel {

    private final HttpExchange exchange;
    private final HttpSessionHandler session;
    private final ChannelHandlerContext client;
    private final Stream stream;
    private List<ByteBuf> fromClient;
    private List<ByteBuf> fromServer;

    UpgradeTunnel(HttpExchange exchange, HttpSessionHandler session, Stream stream) {
        this.exchange = exchange;
        this.session = session;
        this.client = session.ctx();
        this.stream = stream;
    }

    /** Sends the server's {@code 101} on and schedules the switch. */
    void begin(HttpResponse response, HttpVersion clientVersion) {
        stream.responseReceived(101);
        session.serverTimer().stop();
        session.clientTimer().stop();
        HeadRewriter.forClient(response, clientVersion, true);
        client.writeAndFlush(response, client.voidPromise());
        client.channel().eventLoop().execute(this::switchOver);
    }

    /** Bytes the client sent after its upgrade request, before the tunnel existed. */
    void clientBytes(Object msg) {
        if (msg instanceof ByteBuf buf) {
            if (fromClient == null) {
                fromClient = new ArrayList<>(2);
            }
            fromClient.add(buf);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Bytes the server sent behind its {@code 101}. */
    void serverBytes(Object msg) {
        if (msg instanceof ByteBuf buf) {
            if (fromServer == null) {
                fromServer = new ArrayList<>(2);
            }
            fromServer.add(buf);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void switchOver() {
        UpstreamConnection tunnelled = exchange.endForTunnel();
        if (tunnelled == null) {
            release();
            return;
        }
        Channel up = tunnelled.channel();
        // Removing a decoder hands its undecoded bytes to the next handler: the exchange's, which keeps them here.
        up.pipeline().remove(UpstreamCodec.class);
        up.pipeline().remove(UpstreamHandler.class);
        exchange.detachUpstream();
        ClientPipeline.leaveHttp(client.pipeline(), session);
        if (fromServer != null) {
            fromServer.forEach(buf -> client.channel().write(buf, client.channel().voidPromise()));
            fromServer = null;
        }
        if (fromClient != null) {
            fromClient.forEach(buf -> up.write(buf, up.voidPromise()));
            fromClient = null;
        }
        client.channel().flush();
        up.flush();
        if (!client.channel().isActive() || !up.isActive()) {
            client.channel().close();
            up.close();
            exchange.terminate(client.channel().isActive() ? Failure.SERVER_ABORT : Failure.CLIENT_ABORT);
            stream.end();
            return;
        }
        boolean clientFinished = session.inputClosed();
        stream.tunnel(up);
        if (clientFinished) {
            // The client's FIN came before the tunnel: let the tunnel carry it across now.
            client.channel().pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
    }

    /** The exchange ended before the switch: what was kept is dropped. */
    void release() {
        if (fromClient != null) {
            fromClient.forEach(ByteBuf::release);
            fromClient = null;
        }
        if (fromServer != null) {
            fromServer.forEach(ByteBuf::release);
            fromServer = null;
        }
    }
}
