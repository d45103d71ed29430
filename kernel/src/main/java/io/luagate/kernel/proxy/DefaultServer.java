package io.luagate.kernel.proxy;

import io.luagate.kernel.metrics.LoopCount;
import io.luagate.kernel.metrics.TrafficCounters;
import io.luagate.spi.health.ServerCheckSettings;
import io.luagate.spi.health.ServerCheckState;
import io.luagate.spi.health.ServerObserver;
import io.luagate.spi.pool.UpstreamKey;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;
import io.luagate.spi.proxy.TrafficStats;
import java.net.InetSocketAddress;
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

    /**
     * The admin and health states with what the checks found and the transition figures, replaced
     * together so a reader never sees half a transition and a balancer's test stays one volatile read.
     *
     * @param lastChange      epoch ms of the last admin or operational change
     * @param downSince       epoch ms the server went DOWN, or -1 while it is not
     * @param downtime        ms spent DOWN before the current spell
     * @param downTransitions times it went DOWN
     */
    private record State(ServerAdmin admin, ServerHealth health, ServerCheckState check, long lastChange,
                         long downSince, long downtime, long downTransitions) {

        /** This state with {@code admin} and {@code health}, the figures following the transition at {@code now}. */
        State to(ServerAdmin admin, ServerHealth health, ServerCheckState check, long now) {
            boolean wasDown = isDown();
            boolean down = health == ServerHealth.DOWN || admin == ServerAdmin.MAINT;
            boolean changed = admin != this.admin || health != this.health;
            long since = down ? (wasDown ? downSince : now) : -1;
            long total = wasDown && !down ? downtime + (now - downSince) : downtime;
            return new State(admin, health, check, changed ? now : lastChange, since, total,
                    down && !wasDown ? downTransitions + 1 : downTransitions);
        }

        boolean isDown() {
            return downSince >= 0;
        }
    }

    private final String name;
    private final int initialWeight;
    private final boolean backup;
    private final String poolPartition;
    private final TrafficCounters traffic;
    private final Consumer<DefaultServer> streamKiller;
    private final ServerTls tls;
    private final String proto;
    private final ServerCheckSettings checkSettings;
    /** Set once by the checker before traffic ({@link #observeWith}); null: nothing is observed. */
    private volatile ServerObserver observer;
    /** Whether its connections may carry many streams: h2 by {@code proto}, or possibly by ALPN over TLS. */
    private final boolean mayMultiplex;
    private volatile Destination destination;
    private volatile int weight;
    private volatile State state;
    /**
     * Streams using the server now, on every loop: the balancers' load figure, read at each pick
     * by those that weigh load. Counted per loop: every proxied request changes it twice.
     */
    private final LoopCount served = new LoopCount();

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
        this(name, address, weight, enabled, backup, poolPartition, traffic, streamKiller, tls, proto, ServerCheckSettings.NONE);
    }

    /** @param checkSettings how it is checked and observed ({@link ServerCheckSettings#NONE}: neither) */
    public DefaultServer(String name, InetSocketAddress address, int weight, boolean enabled, boolean backup,
                         String poolPartition, TrafficCounters traffic, Consumer<DefaultServer> streamKiller,
                         ServerTls tls, String proto, ServerCheckSettings checkSettings) {
        this.tls = tls;
        this.checkSettings = checkSettings;
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
        long now = System.currentTimeMillis();
        ServerCheckState check = checkSettings.check()
                ? ServerCheckState.initial(checkSettings.rise(), checkSettings.fall()) : ServerCheckState.UNCHECKED;
        // HAProxy counts a server that starts in maintenance as down since the start, not as a transition.
        this.state = enabled ? new State(ServerAdmin.READY, ServerHealth.UP, check, now, -1, 0, 0)
                : new State(ServerAdmin.MAINT, ServerHealth.DOWN, check.checked() ? check.withHealth(0) : check, now, now, 0, 0);
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
        // Maintenance stops the server and pauses its checks with their counter at 0; leaving it
        // starts the server again, a checked one with its counter at rise (one failure from down),
        // as HAProxy does.
        ServerCheckState check = now.check();
        ServerHealth health = now.health();
        if (admin == ServerAdmin.MAINT) {
            health = ServerHealth.DOWN;
            check = check.checked() ? check.withHealth(0) : check;
        } else if (now.admin() == ServerAdmin.MAINT) {
            health = ServerHealth.UP;
            check = check.checked() ? check.withHealth(check.rise()) : check;
        }
        state = now.to(admin, health, check, System.currentTimeMillis());
    }

    @Override
    public synchronized void forceHealth(ServerHealth health) {
        State now = state;
        if (now.admin() != ServerAdmin.MAINT) {
            state = now.to(now.admin(), health, now.check(), System.currentTimeMillis());
        }
    }

    @Override
    public ServerCheckSettings checkSettings() {
        return checkSettings;
    }

    @Override
    public ServerCheckState checkState() {
        return state.check();
    }

    @Override
    public long downTransitions() {
        return state.downTransitions();
    }

    @Override
    public long lastChangeMillis() {
        return state.lastChange();
    }

    @Override
    public long downtimeMillis() {
        State now = state;
        return now.isDown() ? now.downtime() + Math.max(0, System.currentTimeMillis() - now.downSince()) : now.downtime();
    }

    @Override
    public synchronized ServerHealth reportCheck(ServerCheckState check, ServerHealth health) {
        State now = state;
        if (now.admin() == ServerAdmin.MAINT) {
            // Checks are paused in maintenance: a check that was running when it began changes nothing.
            return null;
        }
        state = now.to(now.admin(), health, check, System.currentTimeMillis());
        return now.health() == health ? null : now.health();
    }

    @Override
    public void observeWith(ServerObserver observer) {
        this.observer = observer;
    }

    /** The checker observing its streams ({@code observe}), or {@code null}: then the stream reports nothing. */
    public ServerObserver observer() {
        return observer;
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
        return (int) served.sum();
    }

    /** A stream was given this server: counted in its load figure and its current sessions. */
    public void streamStarted() {
        served.add(1);
        traffic.sessionStarted();
    }

    /** A stream counted by {@link #streamStarted} no longer uses this server. */
    public void streamEnded() {
        served.add(-1);
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
