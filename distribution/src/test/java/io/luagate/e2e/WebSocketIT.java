package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.luagate.e2e.support.InProcessProxy;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A WebSocket echo through the proxy: the Upgrade is forwarded, then bytes flow as a tunnel. */
class WebSocketIT {

    /** A real WebSocket echo server (Netty's server-side WebSocket handler). */
    private static Channel startEchoServer(EventLoopGroup group) throws InterruptedException {
        return new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/ws"),
                                new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                                        ctx.writeAndFlush(new TextWebSocketFrame("echo: " + frame.text()));
                                    }
                                });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    @Test
    void webSocketEchoThroughTheProxy() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = startEchoServer(group);
            int serverPort = ((InetSocketAddress) server.localAddress()).getPort();
            try (InProcessProxy proxy = InProcessProxy.start("""
                    log.target = none
                    frontends.fe { bind = ["127.0.0.1:0"], default-backend = ws }
                    backends.ws { timeout.tunnel = 10s, servers { s = "127.0.0.1:%d" } }
                    """.formatted(serverPort))) {
                HttpClient http = HttpClient.newHttpClient();
                for (int round = 0; round < 2; round++) {
                    BlockingQueue<String> received = new LinkedBlockingQueue<>();
                    WebSocket socket = http.newWebSocketBuilder()
                            .buildAsync(URI.create("ws://127.0.0.1:" + proxy.port("fe") + "/ws"), new WebSocket.Listener() {
                                @Override
                                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                    received.add(data.toString());
                                    webSocket.request(1);
                                    return null;
                                }
                            })
                            .get(10, TimeUnit.SECONDS);
                    for (int i = 0; i < 10; i++) {
                        socket.sendText("message " + i, true).get(5, TimeUnit.SECONDS);
                        assertEquals("echo: message " + i, received.poll(5, TimeUnit.SECONDS));
                    }
                    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
                }
            }
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
