package io.luagate.plugin.tcp;

import io.luagate.kernel.rule.engine.RuleSource;
import io.luagate.kernel.rule.engine.StreamRules;
import io.luagate.spi.filter.Filter;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.proxy.Listener;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;
import io.luagate.spi.proxy.TrafficStats;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.ProxySide;
import io.luagate.spi.rule.RuleEngine;
import io.luagate.spi.rule.RuleList;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.VarScope;
import io.luagate.spi.stream.ConnectListener;
import io.luagate.spi.stream.ReusePolicy;
import io.luagate.spi.stream.Session;
import io.luagate.spi.stream.Stream;
import io.luagate.spi.stream.StreamPhase;
import io.luagate.spi.stream.TerminationCause;
import io.luagate.spi.stream.UpstreamConnection;
import io.luagate.spi.pool.UpstreamKey;
import io.luagate.spi.proxy.HttpReuse;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's side of the TCP codec, faked: real client sockets on 127.0.0.1 and one event loop;
 * routing is counted and finds no backend (the connection closes), so a test sees whether the
 * rules went on to routing; or, once {@link #server} is set, a backend with that one server, its
 * {@code tcp-response} rules, a real connect and a plain byte tunnel (half-close carried across).
 * Ended streams are queued for the test.
 */
final class FakeTcpKernel implements AutoCloseable {

    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    final List<Action> rules = new ArrayList<>();
    final BlockingQueue<FakeStream> ended = new LinkedBlockingQueue<>();
    volatile long inspectDelay;
    volatile long clientTimeout = 5_000;
    /** Where the backend connects; {@code null}: routing finds no backend. */
    volatile InetSocketAddress server;
    final List<Action> responseRules = new ArrayList<>();
    volatile long responseInspectDelay;
    volatile long serverTimeout = 5_000;
    /** How long a connect waits before it starts, to leave the test time to act while it is under way. */
    volatile long connectDelay;
    private final Channel listener;
    /** The bind the fake sessions report; {@code proto} as a test sets it. */
    volatile String proto;
    final Listener bind = new Listener() {
        @Override public InetSocketAddress address() { return (InetSocketAddress) listener.localAddress(); }
        @Override public boolean limited() { return false; }
        @Override public String protocol() { return proto; }
    };

    FakeTcpKernel() {
        TcpCodec codec = new TcpCodec();
        listener = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        codec.initClient(ch, new FakeSession(ch));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    FakeStream nextEnded() throws InterruptedException {
        FakeStream stream = ended.poll(5, TimeUnit.SECONDS);
        if (stream == null) {
            throw new AssertionError("no stream ended within 5 s");
        }
        return stream;
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final Server theServer = new Server() {
        @Override public String name() { return "s"; }
        @Override public InetSocketAddress address() { return server; }
        @Override public int weight() { return 1; }
        @Override public boolean isUp() { return true; }
        @Override public int initialWeight() { return 1; }
        @Override public ServerAdmin admin() { return ServerAdmin.READY; }
        @Override public ServerHealth health() { return ServerHealth.UP; }
        @Override public void setWeight(int weight) { throw new UnsupportedOperationException("fixed server"); }
        @Override public void setAddress(InetSocketAddress address) { throw new UnsupportedOperationException("fixed server"); }
        @Override public void setAdmin(ServerAdmin admin) { throw new UnsupportedOperationException("fixed server"); }
        @Override public void forceHealth(ServerHealth health) { throw new UnsupportedOperationException("fixed server"); }
        @Override public void shutdownStreams() { throw new UnsupportedOperationException("fixed server"); }
        @Override public TrafficStats stats() { throw new UnsupportedOperationException("the codec tests keep no counters"); }
    };

    private final Backend backend = new Backend() {
        @Override public String name() { return "be"; }
        @Override public String mode() { return "tcp"; }
        @Override public List<? extends Server> servers() { return List.of(theServer); }
        @Override public long connectTimeoutMillis() { return 2_000; }
        @Override public long serverTimeoutMillis() { return serverTimeout; }
        @Override public long tunnelTimeoutMillis() { return 0; }
        @Override public int retries() { return 0; }
        @Override public HttpReuse httpReuse() { return HttpReuse.NEVER; }
        @Override public boolean httpBufferRequest() { return false; }
        @Override public boolean forwardFor() { return false; }
        @Override public long tcpResponseInspectDelayMillis() { return responseInspectDelay; }
        @Override public TrafficStats stats() { throw new UnsupportedOperationException("the codec tests keep no counters"); }
    };

    private final Frontend frontend = new Frontend() {
        @Override public String name() { return "fe"; }
        @Override public String mode() { return "tcp"; }
        @Override public long clientTimeoutMillis() { return clientTimeout; }
        @Override public long httpRequestTimeoutMillis() { return 0; }
        @Override public long httpKeepAliveTimeoutMillis() { return 0; }
        @Override public long tcpInspectDelayMillis() { return inspectDelay; }
        @Override public boolean httpBufferRequest() { return false; }
        @Override public int bufferSize() { return 16 * 1024; }
        @Override public int maxHeaderSize() { return 0; }
        @Override public List<? extends Listener> listeners() { return List.of(); }
        @Override public void pause() { throw new UnsupportedOperationException("the codec tests do not pause"); }
        @Override public void resume() { throw new UnsupportedOperationException("the codec tests do not pause"); }
        @Override public void stop() { throw new UnsupportedOperationException("the codec tests do not stop"); }
        @Override public boolean paused() { return false; }
        @Override public boolean stopped() { return false; }
        @Override public TrafficStats stats() { throw new UnsupportedOperationException("the codec tests keep no counters"); }
    };

    final class FakeSession implements Session {
        private final Channel channel;

        FakeSession(Channel channel) {
            this.channel = channel;
        }

        @Override public Frontend frontend() { return frontend; }
        @Override public Listener listener() { return bind; }
        @Override public Channel channel() { return channel; }
        @Override public InetSocketAddress clientAddress() { return (InetSocketAddress) channel.remoteAddress(); }
        @Override public InetSocketAddress localAddress() { return (InetSocketAddress) channel.localAddress(); }
        @Override public int streamCount() { return 1; }
        @Override public Stream newStream() { return new FakeStream(this); }
        @Override public boolean draining() { return false; }
    }

    final class FakeStream implements Stream {
        private final FakeSession session;
        volatile long bytesIn;
        volatile long bytesOut;
        volatile int routes;
        volatile TerminationCause cause = TerminationCause.NORMAL;
        volatile StreamPhase phase = StreamPhase.NONE;
        private volatile boolean ended;

        FakeStream(FakeSession session) {
            this.session = session;
        }

        String termination() {
            return "" + cause.code() + phase.code();
        }

        @Override public Session session() { return session; }
        @Override
        public Backend route(Transaction txn) {
            routes++;
            return server == null ? null : backend;
        }

        @Override public Backend backend() { return server == null ? null : backend; }
        @Override public InetSocketAddress destination() { return session.localAddress(); }
        @Override public void setDestination(InetSocketAddress destination) { }
        private InetSocketAddress source;
        @Override public InetSocketAddress source() { return source != null ? source : session.clientAddress(); }
        @Override public void setSource(InetSocketAddress source) { this.source = source; }
        @Override public Server server() { return null; }
        @Override public void release(UpstreamConnection connection, boolean reusable) { connection.channel().close(); }
        @Override
        public void tunnel(Channel upstream) {
            new FakeTunnel(this, session.channel(), upstream).start();
        }
        @Override public Object var(VarScope scope, String name) { return null; }
        @Override public void setVar(VarScope scope, String name, Object value) { }
        @Override public void endRequestScope() { }
        @Override public void transaction(Transaction txn) { }
        private StreamRules streamRules;

        @Override
        public RuleEngine rules() {
            if (streamRules == null) {
                streamRules = new StreamRules(new RuleSource() {
                    @Override
                    public List<Action> rules(RuleList list) {
                        return switch (list) {
                            case FRONTEND_TCP_REQUEST_CONTENT -> FakeTcpKernel.this.rules;
                            case BACKEND_TCP_RESPONSE_CONTENT -> backend() == null ? List.of() : responseRules;
                            default -> List.of();
                        };
                    }

                    @Override
                    public List<Filter> filters(ProxySide side) {
                        return List.of();
                    }
                }, session.channel().eventLoop());
            }
            return streamRules;
        }
        @Override public void requestReceived(String requestLine) { }
        @Override public void responseReceived(int status) { }
        @Override public void status(int status) { }
        @Override public void addBytesFromClient(long n) { bytesIn += n; }
        @Override public void addBytesToClient(long n) { bytesOut += n; }
        @Override public void silent(boolean silent) { }
        @Override public boolean ended() { return ended; }

        @Override
        public void connect(ReusePolicy policy, ConnectListener listener) {
            InetSocketAddress target = server;
            if (target == null) {
                terminate(TerminationCause.SERVER_ABORT, StreamPhase.CONNECT);
                listener.failed(new ConnectException("no server in codec tests"));
                return;
            }
            long delay = connectDelay;
            if (delay > 0) {
                session.channel().eventLoop().schedule(() -> connectTo(target, listener), delay, TimeUnit.MILLISECONDS);
                return;
            }
            connectTo(target, listener);
        }

        private void connectTo(InetSocketAddress target, ConnectListener listener) {
            ChannelFuture future = new Bootstrap()
                    .group(session.channel().eventLoop())
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(target);
            future.addListener(f -> {
                if (f.isSuccess()) {
                    listener.connected(new UpstreamConnection(future.channel(), theServer, UpstreamKey.plain(target, "be"), false));
                } else {
                    terminate(TerminationCause.SERVER_ABORT, StreamPhase.CONNECT);
                    listener.failed(f.cause());
                }
            });
        }

        @Override
        public void terminate(TerminationCause cause, StreamPhase phase) {
            if (this.cause == TerminationCause.NORMAL) {
                this.cause = cause;
                this.phase = phase;
            }
        }

        @Override
        public void end() {
            if (!ended) {
                ended = true;
                FakeTcpKernel.this.ended.add(this);
            }
        }
    }
}
