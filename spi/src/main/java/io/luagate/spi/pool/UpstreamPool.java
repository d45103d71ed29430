package io.luagate.spi.pool;

import io.netty.channel.Channel;

/**
 * Idle upstream connections of one backend on one event loop. Confined to that loop: no locks.
 */
public interface UpstreamPool {

    /**
     * Takes an idle connection for exactly {@code key}, checked to be alive and quiet, or returns
     * {@code null}.
     *
     * @param minUses only connections that already served at least this many requests qualify
     */
    Channel poll(UpstreamKey key, int minUses);

    /**
     * Offers a connection that just finished a request cleanly.
     *
     * @param uses how many requests it has served so far
     * @return {@code false} if the pool did not take it; the caller then closes it
     */
    boolean offer(UpstreamKey key, Channel channel, int uses);

    /** How many idle connections the pool holds now. */
    int idleCount();

    /** Closes every idle connection; later offers are refused. */
    void close();
}
