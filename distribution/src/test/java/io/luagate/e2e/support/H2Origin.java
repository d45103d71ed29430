package io.luagate.e2e.support;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.Mapping;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/2 origin on 127.0.0.1, on Netty's HTTP/2 server codec: cleartext with prior knowledge,
 * or TLS with ALPN h2 (the SNI each connection sent is recorded). Each stream is given to a
 * {@link StreamHandler} frame by frame; the default one answers when the request ends, with
 * {@code conn=<n> <method> <path> <authority>} (connections numbered from 1 in accept order). Every
 * request's head, body and trailers are recorded.
 */
public final class H2Origin implements AutoCloseable {

    /** Serves one stream: sees its frames as they come, answers on {@code ctx}. */
    public interface StreamHandler {
        /** @param stream what is known of the stream so far (its head at least) */
        void frame(ChannelHandlerContext ctx, Stream stream, Http2StreamFrame frame);
    }

    /** A stream as the origin saw it. */
    public static final class Stream {
        public final int connection;
        public volatile Http2Headers head;
        public volatile Http2Headers trailers;
        public final ByteArrayOutputStream body = new ByteArrayOutputStream();
        public volatile boolean ended;

        Stream(int connection) {
            this.connection = connection;
        }

        public String header(String name) {
            CharSequence value = head.get(name);
            return value == null ? null : value.toString();
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final List<Stream> streams = new CopyOnWriteArrayList<>();
    private final Map<Integer, String> sni = new ConcurrentHashMap<>();
    private final StreamHandler handler;

    private H2Origin(SslContext tls, int maxConcurrentStreams, StreamHandler handler) throws InterruptedException {
        this.handler = handler;
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        int number = connections.incrementAndGet();
                        ChannelHandler[] http2 = {
                                Http2FrameCodecBuilder.forServer()
                                        .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(maxConcurrentStreams))
                                        .build(),
                                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                                    @Override
                                    protected void initChannel(Http2StreamChannel stream) {
                                        stream.pipeline().addLast(new StreamServer(number));
                                    }
                                })};
                        if (tls == null) {
                            ch.pipeline().addLast(http2);
                            return;
                        }
                        Mapping<String, SslContext> any = name -> {
                            sni.put(number, name == null ? "" : name);
                            return tls;
                        };
                        // HTTP/2 starts once the handshake is done: its SETTINGS must not go out in clear.
                        ch.pipeline().addLast(new SniHandler(any), new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
                                    ctx.pipeline().addLast(http2);
                                    ctx.pipeline().remove(this);
                                }
                                ctx.fireUserEventTriggered(evt);
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** A cleartext origin (prior knowledge) with the default handler. */
    public static H2Origin cleartext() throws InterruptedException {
        return new H2Origin(null, 100, H2Origin::answer);
    }

    public static H2Origin cleartext(int maxConcurrentStreams, StreamHandler handler) throws InterruptedException {
        return new H2Origin(null, maxConcurrentStreams, handler);
    }

    /** A TLS origin offering only h2 by ALPN, with {@code pem} (certificate, chain, key) for every name. */
    public static H2Origin tls(Path pem, StreamHandler handler) throws Exception {
        SslContext context = SslContextBuilder.forServer(pem.toFile(), pem.toFile())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
                .build();
        return new H2Origin(context, 100, handler);
    }

    /** The default answer: when the request ends, 200 naming the connection and the request. */
    public static void answer(ChannelHandlerContext ctx, Stream stream, Http2StreamFrame frame) {
        if (stream.ended) {
            respond(ctx, 200, "conn=" + stream.connection + " " + stream.head.method() + " " + stream.head.path()
                    + " " + stream.head.authority() + "\n");
        }
    }

    /** A whole response: its head, then its body in one DATA frame that ends the stream. */
    public static void respond(ChannelHandlerContext ctx, int status, String body) {
        Http2Headers head = new DefaultHttp2Headers().status(Integer.toString(status)).set("content-type", "text/plain");
        ctx.write(new DefaultHttp2HeadersFrame(head));
        ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), true));
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** The largest number of streams open at once on the origin. */
    public int maxConcurrent() {
        return maxOpen.get();
    }

    public List<Stream> streams() {
        return streams;
    }

    /** The SNI connection {@code number} sent ("" for none). */
    public String sni(int number) {
        return sni.get(number);
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class StreamServer extends SimpleChannelInboundHandler<Http2StreamFrame> {

        private final Stream stream;

        StreamServer(int connection) {
            this.stream = new Stream(connection);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            open.decrementAndGet();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
            if (frame instanceof Http2HeadersFrame headers) {
                if (stream.head == null) {
                    stream.head = headers.headers();
                    streams.add(stream);
                } else {
                    stream.trailers = headers.headers();
                }
                stream.ended = headers.isEndStream();
            } else if (frame instanceof Http2DataFrame data) {
                byte[] bytes = ByteBufUtil.getBytes(data.content());
                synchronized (stream.body) {
                    stream.body.write(bytes, 0, bytes.length);
                }
                stream.ended = data.isEndStream();
            }
            handler.frame(ctx, stream, frame);
        }
    }

    /** Whether {@code ctx}'s connection is over TLS. */
    public static boolean secure(ChannelHandlerContext ctx) {
        return ctx.channel().parent().pipeline().get(SslHandler.class) != null;
    }
}
