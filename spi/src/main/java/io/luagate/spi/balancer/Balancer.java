package io.luagate.spi.balancer;

import io.luagate.spi.proxy.Server;

/**
 * Picks servers for one backend on one event loop. Not thread-safe by design: one per loop, and
 * every method is called on that loop only, so a balancer keeps its own state without locks.
 * A server's weight, states and load figures may change at any time from another thread (see
 * {@link Server}): read them at every pick rather than keeping copies, so that a change applies
 * to the next pick.
 *
 * <p>The kernel tells the balancer of the stream's loop when a stream it gave a server starts and
 * stops using that server ({@link #streamStarted}, {@link #streamEnded}): a stream that fails to
 * connect and is retried on another server ends on the first before it starts on the second, and a
 * stream whose client leaves while it connects ends there too. Each start is followed by exactly
 * one end. The kernel also keeps every server's count of current streams across all loops
 * ({@link Server#currentStreams()}), so a balancer that needs the global load reads it there and
 * may ignore the callbacks.
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

    /**
     * As {@link #next(Server)}, for a backend whose balancer asked for a key
     * ({@link BalancerContext#useKey}): {@code key} is the binary value of that expression for
     * this stream (a string's bytes, an address's 4 or 16 bytes in network order), or {@code null}
     * when it gave no value. The same stream gives the same key to every attempt.
     *
     * @param key the stream's key, or {@code null}; the array is the balancer's to read, not to keep
     */
    default Server next(Server avoid, byte[] key) {
        return next(avoid);
    }

    /** A stream this balancer gave {@code server} now uses it (called right after the pick). */
    default void streamStarted(Server server) {
    }

    /**
     * A stream counted by {@link #streamStarted} no longer uses {@code server}: it ended, it was
     * retried on another server, or its connect was abandoned.
     */
    default void streamEnded(Server server) {
    }
}
