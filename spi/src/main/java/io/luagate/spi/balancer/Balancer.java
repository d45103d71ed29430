package io.luagate.spi.balancer;

import io.luagate.spi.proxy.Server;

/**
 * Picks servers for one backend on one event loop. Not thread-safe by design: one per loop.
 * A server's weight and states may change at any time from another thread (see {@link Server}):
 * read them at every pick rather than keeping copies, so that a change applies to the next pick.
 */
public interface Balancer {

    /**
     * The next server to use, skipping servers that are not {@link Server#isUp() up} (down, in
     * drain or in maintenance) or have weight 0.
     *
     * @param avoid a server the stream just failed to reach; returned only when it is the only one
     *              up. May be {@code null}.
     * @return a server, or {@code null} when none is up
     */
    Server next(Server avoid);
}
