package io.luagate.spi.balancer;

import io.luagate.spi.proxy.Server;

/** Picks servers for one backend on one event loop. Not thread-safe by design: one per loop. */
public interface Balancer {

    /**
     * The next server to use, skipping servers that are down.
     *
     * @param avoid a server the stream just failed to reach; returned only when it is the only one
     *              up. May be {@code null}.
     * @return a server, or {@code null} when none is up
     */
    Server next(Server avoid);
}
