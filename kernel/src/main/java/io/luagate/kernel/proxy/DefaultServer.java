package io.luagate.kernel.proxy;

import io.luagate.kernel.metrics.TrafficCounters;
import io.luagate.spi.pool.UpstreamKey;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;
import io.luagate.spi.proxy.TrafficStats;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A backend's server. Every event loop's balancer reads it on each pick while an admin call may
 * change it from any thread, so each changing part is one volatile field holding an immutable
 * value: the address with its destination key, the weight, and the admin and health states
 * together. Reads take no lock; the rare writers that read-modify-write synchronize among
 * themselves only. Its destination key is built once per address, so choosing it allocates nothing.
 */
public final class DefaultServer implements Server {

    /** The address and the key of connections to it, replaced together. */
    private record Destination(InetSocketAddress address, UpstreamKey key) {
    }

    /** The admin and health states, replaced together so a reader never sees half a transition. */
    private record State(ServerAdmin admin, ServerHealth health) {
    }

    private final String name;
    private final int initialWeight;
    private final boolean backup;
    private final String poolPartition;
    private final TrafficCounters traffic;
    private final Consumer<DefaultServer> streamKiller;
    private final ServerTls tls;
    private final String proto;
    /** Whether its connections may carry many streams: h2 by {@code proto}, or possibly by ALPN over TLS. */
    private final boolean mayMultiplex;
    private volatile Destination destination;
    private volatile int weight;
    private volatile State state;
    /** Streams using the server now, on every loop: the balancers' load figure, read at each pick. */
    private final AtomicInteger served = new AtomicInteger();

    /**
     * @param enabled      {@code false} for a server written {@code disabled}: it starts in maintenance
     * @param backup       {@code true} for a server written {@code backup}
     * @param streamKiller closes the streams a server serves, on their own loops ({@link #shutdownStreams})
     */
    public DefaultServer(String name, InetSocketAddress address, int weight, boolean enabled, boolean backup,
                         String poolPartition, TrafficCounters traffic, Consumer<DefaultServer> streamKiller) {
        this(name, address, weight, enabled, backup, poolPartition, traffic, streamKiller, null);
    }

    /** @param tls the server's TLS ({@code ssl = true}), or {@code null} for plain TCP */
    public DefaultServer(String name, InetSocketAddress address, int weight, boolean enabled, boolean backup,
                         String poolPartition, TrafficCounters traffic, Consumer<DefaultServer> streamKiller,
                         ServerTls tls) {
        this(name, address, weight, enabled, backup, poolPartition, traffic, streamKiller, tls, null);
    }

    /**
     * @param tls   the server's TLS ({@code ssl = true}), or {@code null} for plain TCP
     * @param proto the protocol spoken from the first byte ({@code proto}: h1, h2), or {@code null}
     *              for the codec's default or what ALPN chooses
     */
    public DefaultServer(String name, InetSocketAddress address, int weight, boolean enabled, boolean backup,
                         String poolPartition, TrafficCounters traffic, Consumer<DefaultServer> streamKiller,
                         ServerTls tls, String proto) {
        this.tls = tls;
        this.proto = proto;
        this.mayMultiplex = "h2".equals(proto) || proto == null && tls != null;
        this.name = name;
        this.backup = backup;
        this.initialWeight = weight;
        this.weight = weight;
        this.poolPartition = poolPartition;
        this.traffic = traffic;
        this.streamKiller = streamKiller;
        this.destination = new Destination(address, key(address, null));
        this.state = enabled ? new State(ServerAdmin.READY, ServerHealth.UP) : new State(ServerAdmin.MAINT, ServerHealth.DOWN);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress address() {
        return destination.address();
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public int initialWeight() {
        return initialWeight;
    }

    @Override
    public boolean isBackup() {
        return backup;
    }

    @Override
    public boolean isUp() {
        State now = state;
        return now.admin() == ServerAdmin.READY && now.health() == ServerHealth.UP;
    }

    @Override
    public ServerAdmin admin() {
        return state.admin();
    }

    @Override
    public ServerHealth health() {
        return state.health();
    }

    @Override
    public void setWeight(int weight) {
        if (weight < 0 || weight > 256) {
            throw new IllegalArgumentException("weight must be 0..256, not " + weight);
        }
        this.weight = weight;
    }

    @Override
    public void setAddress(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("an IP address is needed, not the name " + address.getHostString());
        }
        this.destination = new Destination(address, key(address, null));
    }

    @Override
    public synchronized void setAdmin(ServerAdmin admin) {
        State now = state;
        if (now.admin() == admin) {
            return;
        }
        // Maintenance stops the server; leaving it starts the server again, as HAProxy does for a
        // server without health checks (luagate has none to wait for).
        ServerHealth health = admin == ServerAdmin.MAINT ? ServerHealth.DOWN
                : now.admin() == ServerAdmin.MAINT ? ServerHealth.UP : now.health();
        state = new State(admin, health);
    }

    @Override
    public synchronized void forceHealth(ServerHealth health) {
        State now = state;
        if (now.admin() != ServerAdmin.MAINT) {
            state = new State(now.admin(), health);
        }
    }

    @Override
    public void shutdownStreams() {
        streamKiller.accept(this);
    }

    @Override
    public TrafficStats stats() {
        return traffic.snapshot();
    }

    public TrafficCounters traffic() {
        return traffic;
    }

    @Override
    public int currentStreams() {
        return served.get();
    }

    /** A stream was given this server: counted in its load figure and its current sessions. */
    public void streamStarted() {
        served.incrementAndGet();
        traffic.sessionStarted();
    }

    /** A stream counted by {@link #streamStarted} no longer uses this server. */
    public void streamEnded() {
        served.decrementAndGet();
        traffic.sessionEnded();
    }

    /**
     * The destination identity of a connection to this server for a stream whose destination is
     * {@code streamDestination}: the server's own, or for a server written {@code 0.0.0.0:<port>}
     * the stream's (the address the client reached, or what {@code set-dst} made it), as HAProxy
     * does; port 0 keeps the destination's port. Reads the address once, so a concurrent
     * {@link #setAddress} gives the old or the new destination, never a mix.
     */
    public UpstreamKey keyFor(InetSocketAddress streamDestination) {
        return keyFor(streamDestination, null);
    }

    /**
     * As {@link #keyFor(InetSocketAddress)}, for a TLS server sending {@code sni} (the stream's
     * value of its {@code sni} expression, or {@code null}): connections sending different names
     * are different destinations.
     */
    public UpstreamKey keyFor(InetSocketAddress streamDestination, String sni) {
        Destination now = destination;
        InetSocketAddress address = now.address();
        if (!address.getAddress().isAnyLocalAddress()) {
            return sni == null ? now.key() : key(address, sni);
        }
        int port = address.getPort() == 0 ? streamDestination.getPort() : address.getPort();
        return key(new InetSocketAddress(streamDestination.getAddress(), port), sni);
    }

    /** The protocol written as {@code proto} (h1, h2), or {@code null}: the codec's default, or ALPN's choice. */
    public String proto() {
        return proto;
    }

    /**
     * Whether a connection to it may be multiplexed ({@code proto = h2}, or TLS without {@code proto},
     * where ALPN may choose h2): the only servers whose streams look for a shared connection.
     */
    public boolean mayMultiplex() {
        return mayMultiplex;
    }

    /** Whether connections to it speak HTTP/2 from their first byte ({@code proto = h2}). */
    public boolean priorKnowledgeH2() {
        return "h2".equals(proto);
    }

    /** The server's TLS, or {@code null} when it speaks plain TCP. */
    public ServerTls tls() {
        return tls;
    }

    private UpstreamKey key(InetSocketAddress address, String sni) {
        // The protocol is part of the identity: an h2 connection never serves an h1 server at the same address.
        UpstreamKey key = tls == null ? UpstreamKey.plain(address, poolPartition)
                : UpstreamKey.tls(address, sni, poolPartition, tls.origin());
        return proto == null ? key : key.withProtocol(proto);
    }

    @Override
    public String toString() {
        return name + "(" + address() + ")";
    }
}
