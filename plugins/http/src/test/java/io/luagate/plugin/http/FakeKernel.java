package io.luagate.plugin.http;

import io.luagate.kernel.rule.engine.RuleSource;
import io.luagate.kernel.rule.engine.StreamRules;
import io.luagate.spi.filter.Filter;
import io.luagate.spi.pool.UpstreamKey;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.proxy.HttpReuse;
import io.luagate.spi.proxy.Listener;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;
import io.luagate.spi.proxy.TrafficStats;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.ErrorPages;
import io.luagate.spi.rule.ProxySide;
import io.luagate.spi.rule.ReplyTemplate;
import io.luagate.spi.rule.RuleEngine;
import io.luagate.spi.rule.RuleList;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.sample.VarScope;
import io.luagate.spi.stream.ConnectListener;
import io.luagate.spi.stream.ReusePolicy;
import io.luagate.spi.stream.Session;
import io.luagate.spi.stream.Stream;
import io.luagate.spi.stream.StreamPhase;
import io.luagate.spi.stream.TerminationCause;
import io.luagate.spi.stream.UpstreamConnection;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernel's side of the codec, faked as little as possible: real sockets on 127.0.0.1, one
 * event loop, a frontend whose rules the test sets, one backend with one server, upstream
 * connections made on the client's loop and closed after use (no pool). Every stream that ends
 * is queued for the test to inspect, as the access log would see it.
 */
final class FakeKernel implements AutoCloseable {

    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    final FakeFrontend frontend = new FakeFrontend();
    final FakeBackend backend;
    final BlockingQueue<FakeStream> ended = new LinkedBlockingQueue<>();
    /** For each upstream connection given back, whether the codec called it reusable. */
    final List<Boolean> releasedReusable = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Every client connection accepted, in order. */
    final List<Channel> clients = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Channel listener;
    /** The bind the fake sessions report; {@code proto} as a test sets it. */
    volatile String proto;
    final Listener bind = new Listener() {
        @Override public InetSocketAddress address() { return (InetSocketAddress) listener.localAddress(); }
        @Override public boolean limited() { return false; }
        @Override public String protocol() { return proto; }
    };

    /** A frontend on {@code proto = h2} whose one rule answers every request with the 403 page. */
    static FakeKernel h2Forbidding(InetSocketAddress server) {
        FakeKernel kernel = new FakeKernel(server);
        kernel.proto = "h2";
        kernel.frontend.requestRules.add(txn -> {
            txn.reply(ErrorPages.forStatus(403));
            return Verdict.STOP;
        });
        return kernel;
    }

    FakeKernel(InetSocketAddress server) {
        backend = new FakeBackend(server);
        HttpCodec codec = new HttpCodec();
        listener = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        clients.add(ch);
                        codec.initClient(ch, new FakeSession(ch));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    EventLoop loop() {
        return group.next();
    }

    /** The next stream that ended, within 5 s. */
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
        // Connections still open are closed while their loop runs: a loop that shuts down closes its
        // channels but no longer runs the tasks that tell their pipelines, whose buffers then leak.
        for (Channel client : clients) {
            client.close().syncUninterruptibly();
        }
        for (int i = 0; i < 2; i++) {
            // Twice: the first task may run before a close's own follow-up tasks were queued.
            group.submit(() -> { }).syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static final class FakeFrontend implements Frontend {
        final List<Action> requestRules = new ArrayList<>();
        final List<Action> responseRules = new ArrayList<>();
        final List<Action> afterResponseRules = new ArrayList<>();
        volatile long clientTimeout = 5_000;
        volatile int bufferSize = 16 * 1024;
        volatile Action monitor;
        final Map<Integer, ReplyTemplate> errorReplies = new ConcurrentHashMap<>();

        @Override public ReplyTemplate errorReply(int status) { return errorReplies.get(status); }
        @Override public String name() { return "fe"; }
        @Override public String mode() { return "http"; }
        @Override public long clientTimeoutMillis() { return clientTimeout; }
        @Override public long httpRequestTimeoutMillis() { return 5_000; }
        @Override public long httpKeepAliveTimeoutMillis() { return 5_000; }
        @Override public long tcpInspectDelayMillis() { return 0; }
        @Override public boolean httpBufferRequest() { return false; }
        @Override public int bufferSize() { return bufferSize; }
        @Override public int maxHeaderSize() { return 16 * 1024; }
        @Override public List<? extends Listener> listeners() { return List.of(); }
        @Override public void pause() { throw new UnsupportedOperationException("the codec tests do not pause"); }
        @Override public void resume() { throw new UnsupportedOperationException("the codec tests do not pause"); }
        @Override public void stop() { throw new UnsupportedOperationException("the codec tests do not stop"); }
        @Override public boolean paused() { return false; }
        @Override public boolean stopped() { return false; }
        @Override public TrafficStats stats() { throw new UnsupportedOperationException("the codec tests keep no counters"); }
    }

    static final class FakeBackend implements Backend, Server {
        final List<Action> requestRules = new ArrayList<>();
        final List<Action> responseRules = new ArrayList<>();
        final List<Action> afterResponseRules = new ArrayList<>();
        private final InetSocketAddress address;

        FakeBackend(InetSocketAddress address) {
            this.address = address;
        }

        @Override public String name() { return "be"; }
        @Override public InetSocketAddress address() { return address; }
        @Override public int weight() { return 1; }
        @Override public boolean isUp() { return true; }
        @Override public String mode() { return "http"; }
        @Override public List<? extends Server> servers() { return List.of(this); }
        @Override public long connectTimeoutMillis() { return 2_000; }
        @Override public long serverTimeoutMillis() { return 5_000; }
        @Override public long tunnelTimeoutMillis() { return 0; }
        @Override public int retries() { return 0; }
        @Override public HttpReuse httpReuse() { return HttpReuse.NEVER; }
        @Override public boolean httpBufferRequest() { return false; }
        @Override public boolean forwardFor() { return false; }
        @Override public int initialWeight() { return 1; }
        @Override public ServerAdmin admin() { return ServerAdmin.READY; }
        @Override public ServerHealth health() { return ServerHealth.UP; }
        @Override public void setWeight(int weight) { throw new UnsupportedOperationException("fixed server"); }
        @Override public void setAddress(InetSocketAddress address) { throw new UnsupportedOperationException("fixed server"); }
        @Override public void setAdmin(ServerAdmin admin) { throw new UnsupportedOperationException("fixed server"); }
        @Override public void forceHealth(ServerHealth health) { throw new UnsupportedOperationException("fixed server"); }
        @Override public void shutdownStreams() { throw new UnsupportedOperationException("fixed server"); }
        @Override public TrafficStats stats() { throw new UnsupportedOperationException("the codec tests keep no counters"); }
    }

    final class FakeSession implements Session {
        private final Channel channel;
        private int streams;

        FakeSession(Channel channel) {
            this.channel = channel;
        }

        @Override public Frontend frontend() { return frontend; }
        @Override public Listener listener() { return bind; }
        @Override public Channel channel() { return channel; }
        @Override public InetSocketAddress clientAddress() { return (InetSocketAddress) channel.remoteAddress(); }
        @Override public InetSocketAddress localAddress() { return (InetSocketAddress) channel.localAddress(); }
        @Override public int streamCount() { return streams; }
        @Override public boolean draining() { return false; }

        @Override
        public Stream newStream() {
            streams++;
            return new FakeStream(this);
        }
    }

    /** One stream; its fields are what the access log would print. */
    final class FakeStream implements Stream {
        private final FakeSession session;
        private final Map<String, Object> vars = new HashMap<>();
        private Backend routed;
        volatile int status = -1;
        volatile long bytesIn;
        volatile long bytesOut;
        volatile String requestLine;
        volatile TerminationCause cause = TerminationCause.NORMAL;
        volatile StreamPhase phase = StreamPhase.NONE;
        volatile int connects;
        private volatile boolean ended;

        FakeStream(FakeSession session) {
            this.session = session;
        }

        /** HAProxy's two termination characters, "--" for a normal end. */
        String termination() {
            return "" + cause.code() + phase.code();
        }

        @Override public Session session() { return session; }
        @Override public Backend backend() { return routed; }
        @Override public InetSocketAddress destination() { return backend.address(); }
        @Override public void setDestination(InetSocketAddress destination) { }
        private InetSocketAddress source;
        @Override public InetSocketAddress source() { return source != null ? source : session.clientAddress(); }
        @Override public void setSource(InetSocketAddress source) { this.source = source; }
        @Override public Server server() { return routed == null ? null : backend; }
        @Override public void transaction(Transaction txn) { }
        private StreamRules rules;

        @Override
        public RuleEngine rules() {
            if (rules == null) {
                rules = new StreamRules(new RuleSource() {
                    @Override
                    public List<Action> rules(RuleList list) {
                        return switch (list) {
                            case FRONTEND_MONITOR -> frontend.monitor == null ? List.of() : List.of(frontend.monitor);
                            case FRONTEND_HTTP_REQUEST -> frontend.requestRules;
                            case FRONTEND_HTTP_RESPONSE -> frontend.responseRules;
                            case FRONTEND_HTTP_AFTER_RESPONSE -> frontend.afterResponseRules;
                            case BACKEND_HTTP_REQUEST -> routed == null ? List.of() : backend.requestRules;
                            case BACKEND_HTTP_RESPONSE -> routed == null ? List.of() : backend.responseRules;
                            case BACKEND_HTTP_AFTER_RESPONSE -> routed == null ? List.of() : backend.afterResponseRules;
                            default -> List.of();
                        };
                    }

                    @Override
                    public List<Filter> filters(ProxySide side) {
                        return List.of();
                    }
                }, session.channel().eventLoop());
            }
            return rules;
        }
        @Override public void requestReceived(String requestLine) { this.requestLine = requestLine; }
        @Override public void responseReceived(int status) { this.status = status; }
        @Override public void status(int status) { this.status = status; }
        @Override public void addBytesFromClient(long n) { bytesIn += n; }
        @Override public void addBytesToClient(long n) { bytesOut += n; }
        @Override public void silent(boolean silent) { }
        @Override public boolean ended() { return ended; }

        @Override
        public Backend route(Transaction txn) {
            routed = backend;
            return routed;
        }

        @Override
        public void connect(ReusePolicy policy, ConnectListener listener) {
            connects++;
            new Bootstrap()
                    .group(session.channel().eventLoop())
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            new HttpCodec().initUpstream(ch, backend);
                        }
                    })
                    .connect(backend.address())
                    .addListener(f -> {
                        Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
                        if (f.isSuccess()) {
                            listener.connected(new UpstreamConnection(ch, backend,
                                    UpstreamKey.plain(backend.address(), "be"), false));
                        } else {
                            terminate(TerminationCause.SERVER_ABORT, StreamPhase.CONNECT);
                            listener.failed(f.cause());
                        }
                    });
        }

        @Override
        public void release(UpstreamConnection connection, boolean reusable) {
            releasedReusable.add(reusable);
            connection.channel().close();
        }

        @Override
        public void tunnel(Channel upstream) {
            throw new UnsupportedOperationException("no tunnels in codec tests");
        }

        @Override
        public Object var(VarScope scope, String name) {
            return vars.get(scope + "." + name);
        }

        @Override
        public void setVar(VarScope scope, String name, Object value) {
            if (scope != VarScope.REQ || !requestScopeEnded) {
                vars.put(scope + "." + name, value);
            }
        }

        /** Whether the codec ended the request scope (req.* dropped). */
        volatile boolean requestScopeEnded;

        @Override
        public void endRequestScope() {
            requestScopeEnded = true;
            vars.keySet().removeIf(key -> key.startsWith(VarScope.REQ + "."));
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
                FakeKernel.this.ended.add(this);
            }
        }
    }
}
