package io.luagate.kernel.stream;

import io.luagate.kernel.proxy.DefaultBackend;
import io.luagate.spi.codec.MultiplexedConnection;
import io.luagate.spi.pool.UpstreamKey;
import io.luagate.spi.stream.UpstreamConnection;
import io.netty.channel.Channel;

/**
 * The upstream connections one client connection keeps for itself under {@code http-reuse never}:
 * the HTTP/1.1 connection parked for its next request, and the multiplexed connection its streams
 * share. Made by the {@link DefaultSession} when it first keeps one, so that a client of a backend
 * that shares its connections (the default) holds none of these fields while it idles. Confined
 * to the client's event loop.
 */
final class OwnUpstreams {

    private UpstreamConnection parked;
    private DefaultBackend parkedBackend;
    private MultiplexedConnection multiplexed;
    private UpstreamKey multiplexedKey;
    private DefaultBackend multiplexedBackend;

    /** The parked connection's channel if it serves {@code backend} and {@code key} and is alive; it is no longer parked either way. */
    Channel takeParked(DefaultBackend backend, UpstreamKey key) {
        UpstreamConnection mine = parked;
        parked = null;
        if (mine == null) {
            return null;
        }
        if (parkedBackend == backend && mine.key().equals(key) && mine.channel().isActive()) {
            return mine.channel();
        }
        mine.channel().close();
        return null;
    }

    /** Keeps {@code connection} for the next request, closing the one kept before. */
    void park(DefaultBackend backend, UpstreamConnection connection) {
        if (parked != null) {
            parked.channel().close();
        }
        parked = connection;
        parkedBackend = backend;
    }

    /** The shared multiplexed connection if it serves {@code backend} and {@code key} and can open a stream. */
    MultiplexedConnection multiplexed(DefaultBackend backend, UpstreamKey key) {
        MultiplexedConnection mine = multiplexed;
        return mine != null && multiplexedBackend == backend && multiplexedKey.equals(key)
                && mine.channel().isActive() && mine.canOpen() ? mine : null;
    }

    /**
     * Shares {@code connection} among the client's streams from now on. The previous one (another
     * key, or full) closes by itself once its streams are done and it idles.
     */
    void multiplexed(DefaultBackend backend, UpstreamKey key, MultiplexedConnection connection) {
        multiplexed = connection;
        multiplexedKey = key;
        multiplexedBackend = backend;
    }

    /** The client is gone: what it kept goes too (a multiplexed connection's streams end with it). */
    void close() {
        if (parked != null) {
            parked.channel().close();
            parked = null;
        }
        if (multiplexed != null) {
            multiplexed.channel().close();
            multiplexed = null;
        }
    }
}
