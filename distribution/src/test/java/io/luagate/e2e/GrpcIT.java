package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.H2Origin;
import io.luagate.e2e.support.InProcessProxy;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * gRPC through luagate, end to end in HTTP/2: Netty's HTTP/2 client (as a gRPC client frames
 * its calls: {@code content-type: application/grpc}, {@code te: trailers}, length-prefixed messages)
 * to a frontend with {@code proto = h2}, to a gRPC-style origin on Netty's HTTP/2 server codec
 * behind a server with {@code proto = h2}. A bidirectional stream sees each message answered before
 * it sends the next (nothing waits for the request's end), and the {@code grpc-status} and
 * {@code grpc-message} trailers reach the client.
 */
class GrpcIT {

    private static final String CONFIG = """
            global.threads = 1
            log.target = none
            frontends.fe { bind = [ { address = "127.0.0.1:0", proto = h2 } ], default-backend = be }
            backends.be { servers { s = { address = "%s", proto = h2 } } }
            """;

    private EventLoopGroup group;

    @BeforeEach
    void group() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aUnaryCallGetsItsAnswerAndItsTrailers() throws Exception {
        try (H2Origin origin = H2Origin.cleartext(100, GrpcIT::serve);
             InProcessProxy proxy = InProcessProxy.start(CONFIG.formatted(origin.address()))) {
            Call call = open(proxy.port("fe"), "/echo.Echo/Unary");
            call.send("ping", true);
            Http2Headers head = call.headers();
            assertEquals("200", head.status().toString());
            assertEquals("application/grpc", head.get("content-type").toString());
            assertEquals("echo:ping", call.message());
            Http2Headers trailers = call.headers();
            assertEquals("0", trailers.get("grpc-status").toString());
            assertEquals("unary done", trailers.get("grpc-message").toString());
            H2Origin.Stream seen = origin.streams().get(0);
            assertEquals("trailers", seen.header("te"));
            assertEquals("application/grpc", seen.header("content-type"));
            assertEquals("POST", seen.head.method().toString());
        }
    }

    @Test
    void aBidirectionalStreamFlowsBothWaysBeforeTheRequestEnds() throws Exception {
        try (H2Origin origin = H2Origin.cleartext(100, GrpcIT::serve);
             InProcessProxy proxy = InProcessProxy.start(CONFIG.formatted(origin.address()))) {
            Call call = open(proxy.port("fe"), "/echo.Echo/Chat");
            call.send("one", false);
            assertEquals("200", call.headers().status().toString());
            // Answered while the request is still open: luagate held nothing back either way.
            assertEquals("echo:one", call.message());
            call.send("two", false);
            assertEquals("echo:two", call.message());
            call.send("three", true);
            assertEquals("echo:three", call.message());
            Http2Headers trailers = call.headers();
            assertEquals("0", trailers.get("grpc-status").toString());
            assertEquals("chat done after 3", trailers.get("grpc-message").toString());
        }
    }

    @Test
    void aTrailersOnlyErrorReachesTheClient() throws Exception {
        try (H2Origin origin = H2Origin.cleartext(100, GrpcIT::serve);
             InProcessProxy proxy = InProcessProxy.start(CONFIG.formatted(origin.address()))) {
            Call call = open(proxy.port("fe"), "/echo.Echo/Missing");
            call.send("x", true);
            // A trailers-only answer: one HEADERS frame that ends the stream, with the status in it.
            Http2Headers head = call.headers();
            assertEquals("5", head.get("grpc-status").toString());
            assertEquals("no such method", head.get("grpc-message").toString());
        }
    }

    // ---- the origin: a gRPC-style echo service --------------------------------------------------

    /** Per stream: the request's messages as they arrive (DATA frames may split or join them). */
    private static final Map<H2Origin.Stream, Messages> READ = new ConcurrentHashMap<>();

    private static void serve(ChannelHandlerContext ctx, H2Origin.Stream stream, Http2StreamFrame frame) {
        String path = stream.head.path().toString();
        boolean chat = path.equals("/echo.Echo/Chat");
        if (!chat && !path.equals("/echo.Echo/Unary")) {
            if (frame instanceof Http2HeadersFrame) {
                ctx.writeAndFlush(new DefaultHttp2HeadersFrame(grpcHead().set("grpc-status", "5")
                        .set("grpc-message", "no such method"), true));
            }
            return;
        }
        if (frame instanceof Http2HeadersFrame && chat) {
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(grpcHead()));
        }
        if (!(frame instanceof Http2DataFrame data)) {
            return;
        }
        Messages messages = READ.computeIfAbsent(stream, s -> new Messages());
        messages.add(data.content());
        String message;
        while ((message = messages.next()) != null) {
            if (chat) {
                ctx.writeAndFlush(new DefaultHttp2DataFrame(grpcMessage("echo:" + message)));
            } else {
                messages.first = message;
            }
        }
        if (data.isEndStream()) {
            READ.remove(stream);
            if (!chat) {
                ctx.write(new DefaultHttp2HeadersFrame(grpcHead()));
                ctx.write(new DefaultHttp2DataFrame(grpcMessage("echo:" + messages.first)));
            }
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().set("grpc-status", "0")
                    .set("grpc-message", chat ? "chat done after " + messages.count : "unary done"), true));
        }
    }

    /** Length-prefixed messages (a flag byte, a 4-byte length, the bytes) out of a byte stream. */
    private static final class Messages {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private int at;
        int count;
        String first;

        @Override
        public synchronized String toString() {
            return bytes.toString(StandardCharsets.ISO_8859_1);
        }

        synchronized void add(ByteBuf content) {
            byte[] copy = ByteBufUtil.getBytes(content);
            bytes.write(copy, 0, copy.length);
        }

        synchronized String next() {
            byte[] all = bytes.toByteArray();
            if (all.length - at < 5) {
                return null;
            }
            int length = ByteBuffer.wrap(all, at + 1, 4).getInt();
            if (all.length - at - 5 < length) {
                return null;
            }
            String message = new String(all, at + 5, length, StandardCharsets.UTF_8);
            at += 5 + length;
            count++;
            return message;
        }
    }

    private static Http2Headers grpcHead() {
        return new DefaultHttp2Headers().status("200").set("content-type", "application/grpc");
    }

    private static ByteBuf grpcMessage(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = Unpooled.buffer(5 + bytes.length);
        buf.writeByte(0).writeInt(bytes.length).writeBytes(bytes);
        return buf;
    }

    // ---- the client: Netty's HTTP/2 client, one stream per call -------------------------------------

    private Call open(int port, String path) throws Exception {
        Channel connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                                new Http2MultiplexHandler(new SimpleChannelInboundHandler<Object>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                    }
                                }));
                    }
                })
                .connect(new InetSocketAddress("127.0.0.1", port)).sync().channel();
        Call call = new Call();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection).handler(call).open().sync().getNow();
        call.stream = stream;
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("POST").scheme("http")
                .authority("grpc.test").path(path).set("content-type", "application/grpc").set("te", "trailers"))).sync();
        return call;
    }

    /** One call: what the client sends and, in order, what it receives. */
    private static final class Call extends SimpleChannelInboundHandler<Http2StreamFrame> {

        private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        private final Messages data = new Messages();
        Http2StreamChannel stream;

        void send(String message, boolean end) throws InterruptedException {
            stream.writeAndFlush(new DefaultHttp2DataFrame(grpcMessage(message), end)).sync();
        }

        /** The next HEADERS frame's fields; the DATA marks passed on the way were read by {@link #message}. */
        Http2Headers headers() throws InterruptedException {
            Object next;
            do {
                next = received.poll(10, TimeUnit.SECONDS);
                assertNotNull(next, "nothing received");
            } while (next == DATA);
            Object got = next;
            assertTrue(got instanceof Http2Headers, () -> "headers expected, got " + got + " then " + received);
            return (Http2Headers) got;
        }

        /** The next whole message, from however many DATA frames it came in. */
        String message() throws InterruptedException {
            while (true) {
                String message = data.next();
                if (message != null) {
                    return message;
                }
                Object next = received.poll(10, TimeUnit.SECONDS);
                assertNotNull(next, "no message received");
                assertTrue(next == DATA, () -> "a message expected, got " + next);
            }
        }

        private static final Object DATA = new Object();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
            if (frame instanceof Http2HeadersFrame headers) {
                received.add(headers.headers());
            } else if (frame instanceof Http2DataFrame d) {
                data.add(d.content());
                received.add(DATA);
            }
        }
    }
}
