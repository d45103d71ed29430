package io.luagate.kernel.proxy;

import io.luagate.kernel.metrics.TrafficCounters;
import io.luagate.spi.pool.UpstreamKey;
import io.luagate.spi.proxy.Server;
import java.net.InetSocketAddress;

/** A backend's server. Its destination key is built once, so choosing it allocates nothing. */
public final class DefaultServer implements Server {

    private final String name;
    private final InetSocketAddress address;
    private final int weight;
    private final UpstreamKey key;
    private final TrafficCounters traffic;
    private volatile boolean up;

    public DefaultServer(String name, InetSocketAddress address, int weight, boolean up, String poolPartition,
                         TrafficCounters traffic) {
        this.name = name;
        this.traffic = traffic;
        this.address = address;
        this.weight = weight;
        this.up = up;
        this.key = UpstreamKey.plain(address, poolPartition);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public boolean isUp() {
        return up;
    }

    /** Marks the server up or down (admin actions, health checks). */
    public void setUp(boolean up) {
        this.up = up;
    }

    public TrafficCounters traffic() {
        return traffic;
    }

    /** The destination identity of connections to this server (for a dynamic server: its partition only). */
    public UpstreamKey key() {
        return key;
    }

    /**
     * Whether this server is written {@code 0.0.0.0:<port>}: it connects to each stream's
     * destination (the address the client reached, or what {@code set-dst} made it), as HAProxy
     * does; port 0 keeps the destination's port.
     */
    public boolean dynamic() {
        return address.getAddress().isAnyLocalAddress();
    }

    @Override
    public String toString() {
        return name + "(" + address + ")";
    }
}
