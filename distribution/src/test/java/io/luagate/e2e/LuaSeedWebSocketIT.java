package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed scenario carrying a WebSocket session: a Lua controller service receives the endpoint
 * list; a Lua fetch classifies each request by header and path and sets req.ip, req.port and
 * req.be; {@code set-dst}, {@code set-dst-port} and a dynamic {@code use-backend} send it there.
 * The endpoint is a real WebSocket server: the Upgrade goes through that route, frames flow both
 * ways and the session closes cleanly, while keep-alive HTTP requests share the frontend; the
 * script counts its calls and the controller reports them: exactly one per request.
 */
class LuaSeedWebSocketIT {

    private static final String SCRIPT = """
            local endpoints = {}   -- service name -> { ip, port }
            local calls = 0        -- classifications made, reported by the controller
            core.register_service("svc_manage", "http", function(applet)
              local msg
              if applet.method == "GET" then
                msg = "calls " .. calls .. "\\n"
              else
                local body = applet:receive()
                local n = 0
                for name, ip, port in body:gmatch("(%S+)%s+(%S+):(%d+)") do
                  endpoints[name] = { ip = ip, port = port }
                  n = n + 1
                end
                msg = "stored " .. n .. "\\n"
              end
              applet:set_status(200)
              applet:add_header("content-length", #msg)
              applet:start_response()
              applet:send(msg)
            end)
            core.register_fetches("flow_type", function(txn)
              calls = calls + 1
              local tenant = txn.f:req_hdr("x-tenant")
              local path = txn.f:path()
              if tenant == "pfb" and path:sub(1, 8) == "/orders/" then
                local ep = endpoints["orders"]
                if ep then
                  txn:set_var("req.ip", ep.ip)
                  txn:set_var("req.port", ep.port)
                  txn:set_var("req.be", "pfb-orders")
                  return "pfb"
                end
              end
              return "default"
            end)
            """;

    @TempDir
    Path dir;

    /**
     * The "orders" endpoint: a WebSocket server at /orders/ws (Netty's server-side protocol
     * handler: it answers pings and close frames itself) that greets, echoes text and returns
     * binary frames reversed; other paths get a plain keep-alive HTTP answer. It records the
     * handshake requests it received.
     */
    private static final class OrdersServer implements AutoCloseable {
        private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        private final BlockingQueue<HttpHeaders> handshakes = new LinkedBlockingQueue<>();
        private final Channel server;

        OrdersServer() throws InterruptedException {
            server = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                    new HandshakeRecorder(), new WebSocketServerProtocolHandler("/orders/ws"),
                                    new Frames(), new PlainHttp());
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        }

        int port() {
            return ((InetSocketAddress) server.localAddress()).getPort();
        }

        private final class HandshakeRecorder extends ChannelInboundHandlerAdapter {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof FullHttpRequest request
                        && request.headers().containsValue(HttpHeaderNames.UPGRADE, "websocket", true)) {
                    handshakes.add(request.headers().copy());
                }
                ctx.fireChannelRead(msg);
            }
        }

        private static final class Frames extends SimpleChannelInboundHandler<WebSocketFrame> {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                if (frame instanceof TextWebSocketFrame text) {
                    ctx.writeAndFlush(new TextWebSocketFrame("echo: " + text.text()));
                } else if (frame instanceof BinaryWebSocketFrame) {
                    ByteBuf in = frame.content();
                    ByteBuf reversed = ctx.alloc().buffer(in.readableBytes());
                    for (int i = in.writerIndex() - 1; i >= in.readerIndex(); i--) {
                        reversed.writeByte(in.getByte(i));
                    }
                    ctx.writeAndFlush(new BinaryWebSocketFrame(reversed));
                }
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                    ctx.writeAndFlush(new TextWebSocketFrame("welcome"));
                }
                ctx.fireUserEventTriggered(evt);
            }
        }

        private static final class PlainHttp extends SimpleChannelInboundHandler<FullHttpRequest> {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                byte[] body = ("orders-http " + request.uri()).getBytes(StandardCharsets.UTF_8);
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(body));
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
                ctx.writeAndFlush(response);
            }
        }

        @Override
        public void close() throws InterruptedException {
            server.close().sync();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** What a client WebSocket received: whole text and binary messages, and the peer's close. */
    private static final class Received implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                texts.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                binaries.add(binary.toByteArray());
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        String nextText() throws InterruptedException {
            String next = texts.poll(5, TimeUnit.SECONDS);
            assertNotNull(next, "no text message within 5 s");
            return next;
        }
    }

    private static WebSocket open(HttpClient http, int port, Received listener) throws Exception {
        return http.newWebSocketBuilder()
                .header("X-Tenant", "pfb")
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/orders/ws"), listener)
                .get(10, TimeUnit.SECONDS);
    }

    private static String controller(int port, String request) throws Exception {
        try (TestClient admin = new TestClient(port)) {
            admin.send(request);
            Http.Message answer = admin.read();
            assertEquals(200, answer.status());
            return answer.bodyText();
        }
    }

    /** One pfb request (routed by the script to the orders endpoint) and one plain one (to app), keep-alive. */
    private static void twoRequests(TestClient client, String id) throws Exception {
        client.send("GET /orders/" + id + " HTTP/1.1\r\nHost: x\r\nX-Tenant: pfb\r\n\r\n");
        Http.Message routed = client.read();
        assertEquals(200, routed.status());
        assertEquals("orders-http /orders/" + id, routed.bodyText());
        client.send("GET /plain/" + id + " HTTP/1.1\r\nHost: x\r\n\r\n");
        Http.Message plain = client.read();
        assertEquals(200, plain.status());
        assertEquals("app /plain/" + id, plain.bodyText());
    }

    @Test
    void webSocketSessionThroughTheLuaRouteBesideKeepAliveRequests() throws Exception {
        Path lua = Files.writeString(dir.resolve("route.lua"), SCRIPT);
        try (OrdersServer orders = new OrdersServer(); TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load = [ "%s" ]
                     global.threads = 2
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-request = [
                         "use-service lua.svc_manage if { path_beg /svc-cache/api/v1/endpoints }",
                         "set-var(req.flow) lua.flow_type",
                         "set-dst var(req.ip) if { var(req.flow) -m str pfb }",
                         "set-dst-port var(req.port) if { var(req.flow) -m str pfb }",
                         "set-header X-Flow %%[var(req.flow)]"
                       ]
                       use-backend = [ "%%[var(req.be)] if { var(req.flow) -m str pfb }" ]
                       default-backend = app
                     }
                     backends {
                       app { servers { s = "%s" } }
                       pfb-orders { timeout.tunnel = 30s, servers { dyn = "0.0.0.0:0" } }
                     }
                     """.formatted(lua, app.address()))) {
            int port = proxy.port("fe");
            String update = "orders 127.0.0.1:" + orders.port() + "\n";
            assertEquals("stored 1\n", controller(port, "POST /svc-cache/api/v1/endpoints HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: " + update.length() + "\r\n\r\n" + update));
            assertEquals("calls 0\n", controller(port, "GET /svc-cache/api/v1/endpoints HTTP/1.1\r\nHost: x\r\n\r\n"));

            int requests = 0;
            try (HttpClient http = HttpClient.newHttpClient(); TestClient keepAlive = new TestClient(port)) {
                Received received = new Received();
                WebSocket socket = open(http, port, received);
                requests++;
                HttpHeaders handshake = orders.handshakes.poll(5, TimeUnit.SECONDS);
                assertNotNull(handshake, "the Upgrade reached the orders endpoint");
                assertEquals("pfb", handshake.get("x-flow"), "the script's classification went with it");
                assertEquals("welcome", received.nextText());

                for (int i = 0; i < 5; i++) {
                    socket.sendText("message " + i, true).get(5, TimeUnit.SECONDS);
                    assertEquals("echo: message " + i, received.nextText());
                    twoRequests(keepAlive, "ws" + i);
                    requests += 2;
                }
                byte[] payload = new byte[3000];
                for (int i = 0; i < payload.length; i++) {
                    payload[i] = (byte) i;
                }
                socket.sendBinary(ByteBuffer.wrap(payload), true).get(5, TimeUnit.SECONDS);
                byte[] back = received.binaries.poll(5, TimeUnit.SECONDS);
                assertNotNull(back);
                for (int i = 0; i < payload.length; i++) {
                    assertEquals(payload[payload.length - 1 - i], back[i], "byte " + i);
                }
                socket.sendText("last", true).get(5, TimeUnit.SECONDS);
                assertEquals("echo: last", received.nextText());
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
                assertEquals(WebSocket.NORMAL_CLOSURE, Integer.parseInt(received.closed.get(5, TimeUnit.SECONDS).split(" ")[0]),
                        "the endpoint's close frame came back through the tunnel");

                // The frontend goes on: the same keep-alive connection, then a second session.
                twoRequests(keepAlive, "after");
                requests += 2;
                Received second = new Received();
                WebSocket again = open(http, port, second);
                requests++;
                assertEquals("welcome", second.nextText());
                again.sendText("again", true).get(5, TimeUnit.SECONDS);
                assertEquals("echo: again", second.nextText());
                again.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
                second.closed.get(5, TimeUnit.SECONDS);
                twoRequests(keepAlive, "end");
                requests += 2;
            }
            List<Http.Message> plain = app.connections().stream().flatMap(c -> c.requests.stream()).toList();
            assertEquals(7, plain.size());
            assertTrue(plain.stream().allMatch(r -> "default".equals(r.header("x-flow"))), plain.toString());
            // One Lua call per request: upgrades and keep-alive requests alike, none for frames or the controller.
            assertEquals("calls " + requests + "\n",
                    controller(port, "GET /svc-cache/api/v1/endpoints HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertEquals(16, requests);
        }
    }
}
