package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.luagate.e2e.support.WebSocketEchoServer;
import io.luagate.e2e.support.InProcessProxy;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket echo through the proxy: the Upgrade is forwarded, then bytes flow as a tunnel; bytes
 * the client writes right behind its Upgrade request are not read as HTTP but reach the server raw.
 */
class WebSocketIT {

    @Test
    void webSocketEchoThroughTheProxy() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = WebSocketEchoServer.start(group);
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

    @Test
    void aFrameWrittenWithTheUpgradeRequestCrossesAsTunnelBytes() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = WebSocketEchoServer.start(group);
            int serverPort = ((InetSocketAddress) server.localAddress()).getPort();
            try (InProcessProxy proxy = InProcessProxy.start("""
                    log.target = none
                    frontends.fe { bind = ["127.0.0.1:0"], default-backend = ws }
                    backends.ws { timeout.tunnel = 10s, servers { s = "127.0.0.1:%d" } }
                    """.formatted(serverPort));
                    Socket socket = new Socket("127.0.0.1", proxy.port("fe"))) {
                socket.setSoTimeout(5_000);
                String upgrade = "GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
                // A masked text frame in the same write, whose first masked byte is an LF ('h' ^ 0x62): read
                // as HTTP it would be a line ended by a bare LF, refused, and the frame lost.
                byte[] payload = "hi\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
                byte[] mask = {0x62, 1, 2, 3};
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(upgrade.getBytes(StandardCharsets.ISO_8859_1));
                out.write(0x81);
                out.write(0x80 | payload.length);
                out.writeBytes(mask);
                for (int i = 0; i < payload.length; i++) {
                    out.write(payload[i] ^ mask[i % 4]);
                }
                socket.getOutputStream().write(out.toByteArray());
                InputStream in = socket.getInputStream();
                String head = readHead(in);
                assertEquals("HTTP/1.1 101", head.substring(0, 12), head);
                byte[] echo = "echo: hi\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
                byte[] frame = in.readNBytes(2 + echo.length);
                assertEquals(0x81, frame[0] & 0xff);
                assertEquals(echo.length, frame[1]);
                assertEquals("echo: hi\r\n\r\n", new String(frame, 2, echo.length, StandardCharsets.ISO_8859_1));
            }
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static String readHead(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
