package io.luagate.kernel.stream;

import io.luagate.kernel.net.BoundListener;
import io.luagate.kernel.proxy.DefaultBackend;
import io.luagate.kernel.proxy.DefaultFrontend;
import io.luagate.kernel.proxy.DefaultServer;
import io.luagate.kernel.proxy.MultiplexedPool;
import io.luagate.spi.codec.MultiplexedConnection;
import io.luagate.spi.pool.UpstreamKey;
import io.luagate.spi.pool.UpstreamPool;
import io.luagate.spi.proxy.HttpReuse;
import io.luagate.spi.stream.Session;
import io.luagate.spi.stream.Stream;
import io.luagate.spi.stream.UpstreamConnection;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One client connection, confined to its event loop. It belongs to the generation of the
 * configuration whose frontend it uses; before a stream starts with none in flight, it checks the
 * route of the socket that accepted it and moves to the current generation if a reload happened
 * (keep-alive connections follow reloads at their next request; a stream never changes generation).
 */
public final class DefaultSession implements Session {

    private DefaultFrontend frontend;
    private BoundListener listener;
    private GenerationLease lease;
    private final Acceptor acceptor;
    private final Channel channel;
    private final LoopContext loop;
    private final Kernel kernel;
    private final InetSocketAddress clientAddress;
    private final InetSocketAddress localAddress;
    private int streams;
    /**
     * The stream under way, so that an operator can kill what a server serves (shut_sess), or
     * {@code null}: one at most on an HTTP/1.1 or TCP connection, the oldest of those in flight on
     * an HTTP/2 one. A field rather than a list: every idle keep-alive connection holds it.
     */
    private DefaultStream active;
    /** The other streams under way on an HTTP/2 connection; made when two first run at once. */
    private List<DefaultStream> moreActive;
    /** Under {@code http-reuse never}: the upstream connections kept for this client; made when first needed. */
    private OwnUpstreams own;
    private Map<String, Object> vars;

    /**
     * @param route    where the connection was accepted, its lease already entered
     * @param acceptor the socket's acceptor, asked for the current route before each stream
     */
    DefaultSession(Acceptor.Route route, Acceptor acceptor, Channel channel, LoopContext loop, Kernel kernel) {
        this.frontend = route.frontend();
        this.listener = route.listener();
        this.lease = route.lease();
        this.acceptor = acceptor;
        this.channel = channel;
        this.loop = loop;
        this.kernel = kernel;
        this.clientAddress = (InetSocketAddress) channel.remoteAddress();
        this.localAddress = (InetSocketAddress) channel.localAddress();
        loop.add(this);
        channel.closeFuture().addListener(f -> closed());
    }

    @Override
    public DefaultFrontend frontend() {
        return frontend;
    }

    @Override
    public BoundListener listener() {
        return listener;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public InetSocketAddress clientAddress() {
        return clientAddress;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public int streamCount() {
        return streams;
    }

    @Override
    public Stream newStream() {
        if (active == null) {
            follow(acceptor.route());
        }
        streams++;
        DefaultStream stream = new DefaultStream(this, System.nanoTime());
        if (active == null) {
            active = stream;
        } else {
            if (moreActive == null) {
                moreActive = new ArrayList<>(4);
            }
            moreActive.add(stream);
        }
        return stream;
    }

    /** Moves to {@code route}'s generation if it is not this session's (a reload happened); stays if it is retired. */
    private void follow(Acceptor.Route route) {
        if (route.lease() == lease || !route.lease().enter()) {
            return;
        }
        if (route.frontend().traffic() != frontend.traffic()) {
            // Another frontend's counters now (the bind moved); one of the same name shares them.
            frontend.closed();
            route.frontend().traffic().sessionStarted();
        }
        GenerationLease left = lease;
        frontend = route.frontend();
        listener = route.listener();
        lease = route.lease();
        left.leave();
    }

    /** The generation this session belongs to now. */
    public GenerationLease lease() {
        return lease;
    }

    /** Whether the socket that accepted this connection is gone from the configuration (a reload removed its bind). */
    public boolean orphaned() {
        return acceptor.retired();
    }

    /** {@code stream} ended: an idle connection keeps no finished stream alive. */
    void streamEnded(DefaultStream stream) {
        if (stream == active) {
            // The oldest of the others takes its place: none is active while the field is null.
            active = moreActive == null || moreActive.isEmpty() ? null : moreActive.remove(0);
        } else if (moreActive != null) {
            moreActive.remove(stream);
        }
    }

    /**
     * Closes this client connection if its stream is being served by {@code server}, marking the
     * stream killed. Runs on the session's loop.
     */
    public void shutIfServedBy(DefaultServer server) {
        if (active == null) {
            return;
        }
        DefaultStream served = active.server() == server ? active : null;
        if (served == null && moreActive != null) {
            for (DefaultStream stream : moreActive) {
                if (stream.server() == server) {
                    served = stream;
                    break;
                }
            }
        }
        if (served != null) {
            served.killed();
            channel.close();
        }
    }

    @Override
    public boolean draining() {
        // A connection of a bind a reload removed serves its request in flight, then closes.
        return kernel.draining().getAsBoolean() || acceptor.retired();
    }

    /** The session's variables (scope sess); created on first write. */
    Map<String, Object> vars(boolean create) {
        if (vars == null && create) {
            vars = new HashMap<>(8);
        }
        return vars;
    }

    LoopContext loop() {
        return loop;
    }

    Kernel kernel() {
        return kernel;
    }

    /**
     * An idle connection this stream may use for {@code key}, following the backend's
     * {@code http-reuse} policy, or {@code null}.
     */
    Channel takeIdle(DefaultBackend backend, UpstreamKey key) {
        HttpReuse reuse = backend.httpReuse();
        if (reuse == HttpReuse.NEVER) {
            return own == null ? null : own.takeParked(backend, key);
        }
        UpstreamPool pool = backend.pool(loop.index());
        if (pool == null) {
            return null;
        }
        boolean first = streams <= 1;
        return switch (reuse) {
            case SAFE -> first ? null : pool.poll(key, 0);
            case AGGRESSIVE -> pool.poll(key, first ? 2 : 0);
            default -> pool.poll(key, 0);
        };
    }

    /**
     * A multiplexed connection for {@code key} this stream may open a stream on, following the
     * backend's {@code http-reuse} as HAProxy 2.6 applies it to HTTP/2 servers: {@code never} shares
     * only among this client's own streams; {@code safe} sends a client's first request on a
     * connection of its own (a new one, which later requests of any client may join);
     * {@code aggressive} lets a first request join only a connection that has already run a
     * stream to its end; {@code always} joins any. {@code null} when none qualifies.
     */
    MultiplexedConnection takeMultiplexed(DefaultBackend backend, UpstreamKey key) {
        HttpReuse reuse = backend.httpReuse();
        if (reuse == HttpReuse.NEVER) {
            return own == null ? null : own.multiplexed(backend, key);
        }
        boolean first = streams <= 1;
        MultiplexedPool pool = backend.multiplexed(loop.index());
        return switch (reuse) {
            case SAFE -> first ? null : pool.find(key, 0);
            case AGGRESSIVE -> pool.find(key, first ? 1 : 0);
            default -> pool.find(key, 0);
        };
    }

    /**
     * A multiplexed connection being made for {@code key} that this stream may wait for (under the
     * rules of {@link #takeMultiplexed}), or {@code null}: a burst of streams then shares the first
     * connection instead of opening one each.
     */
    Future<MultiplexedConnection> comingMultiplexed(DefaultBackend backend, UpstreamKey key) {
        HttpReuse reuse = backend.httpReuse();
        if (reuse == HttpReuse.NEVER || streams <= 1 && reuse != HttpReuse.ALWAYS) {
            return null;
        }
        return backend.multiplexed(loop.index()).coming(key);
    }

    /**
     * Announces a connection being made for {@code key} that will be multiplexed (the server's
     * {@code proto} says so, or an earlier connection to it was): shared connections only.
     *
     * @return whether it was announced
     */
    boolean announceMultiplexed(DefaultBackend backend, UpstreamKey key, boolean known, Future<MultiplexedConnection> coming) {
        if (backend.httpReuse() == HttpReuse.NEVER) {
            return false;
        }
        MultiplexedPool pool = backend.multiplexed(loop.index());
        if (!known && !pool.seen(key)) {
            return false;
        }
        pool.announce(key, coming);
        return true;
    }

    /** A new multiplexed connection: shared as {@code http-reuse} allows (see {@link #takeMultiplexed}). */
    void addMultiplexed(DefaultBackend backend, UpstreamKey key, MultiplexedConnection connection) {
        if (backend.httpReuse() != HttpReuse.NEVER) {
            backend.multiplexed(loop.index()).add(key, connection);
            return;
        }
        if (!channel.isActive()) {
            connection.channel().close();
            return;
        }
        own().multiplexed(backend, key, connection);
    }

    /** Keeps {@code connection} for this client's next request ({@code http-reuse never}). */
    void park(DefaultBackend backend, UpstreamConnection connection) {
        if (!channel.isActive()) {
            // The client is gone: what it kept closes with it (closed()), this one at once.
            connection.channel().close();
            return;
        }
        own().park(backend, connection);
    }

    private OwnUpstreams own() {
        if (own == null) {
            own = new OwnUpstreams();
        }
        return own;
    }

    private void closed() {
        loop.remove(this);
        kernel.limiter().release();
        frontend.closed();
        lease.leave();
        if (own != null) {
            own.close();
        }
    }
}
