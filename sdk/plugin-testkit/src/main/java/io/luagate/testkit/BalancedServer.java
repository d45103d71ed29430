package io.luagate.testkit;

import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;
import io.luagate.spi.proxy.TrafficStats;
import java.net.InetSocketAddress;

/**
 * A server for a balancer's unit tests: the SPI's run-time state (weight, admin and health states,
 * backup) and a count of current streams, which the test moves as the kernel does around a pick
 * ({@code streamStarted}/{@code streamEnded}). The fields are the test's to change at any time, as
 * the kernel's server changes from other threads; it never connects anywhere.
 */
public final class BalancedServer implements Server {

    public final String name;
    public final int initialWeight;
    public final boolean backup;
    public volatile int weight;
    public volatile int streams;
    public volatile ServerAdmin admin = ServerAdmin.READY;
    public volatile ServerHealth health = ServerHealth.UP;

    public BalancedServer(String name, int weight) {
        this(name, weight, false);
    }

    public BalancedServer(String name, int weight, boolean backup) {
        this.name = name;
        this.initialWeight = weight;
        this.weight = weight;
        this.backup = backup;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", 1);
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
        return admin == ServerAdmin.READY && health == ServerHealth.UP;
    }

    @Override
    public ServerAdmin admin() {
        return admin;
    }

    @Override
    public ServerHealth health() {
        return health;
    }

    @Override
    public int currentStreams() {
        return streams;
    }

    @Override
    public void setWeight(int weight) {
        this.weight = weight;
    }

    @Override
    public void setAddress(InetSocketAddress address) {
        throw new UnsupportedOperationException("the balancer never moves a server");
    }

    @Override
    public void setAdmin(ServerAdmin admin) {
        this.admin = admin;
    }

    @Override
    public void forceHealth(ServerHealth health) {
        this.health = health;
    }

    @Override
    public void shutdownStreams() {
        throw new UnsupportedOperationException("the balancer never kills streams");
    }

    @Override
    public TrafficStats stats() {
        throw new UnsupportedOperationException("the balancer reads currentStreams(), not the counters");
    }

    @Override
    public String toString() {
        return name;
    }
}
