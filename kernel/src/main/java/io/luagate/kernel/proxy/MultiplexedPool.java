package io.luagate.kernel.proxy;

import io.luagate.spi.codec.MultiplexedConnection;
import io.luagate.spi.pool.UpstreamKey;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The multiplexed (HTTP/2) connections of one backend on one event loop, by {@link UpstreamKey}
 * (compared with {@code equals}: a stream joins only a connection made for exactly its
 * destination). Unlike idle connections these are shared while busy: a stream takes one stream of
 * a connection, so a connection stays here for its whole life and leaves when it closes. Confined
 * to its loop, so nothing is locked.
 */
public final class MultiplexedPool {

    private final Map<UpstreamKey, List<MultiplexedConnection>> byKey = new HashMap<>();
    /** Per key, the connection being made now, announced so that streams wait for it instead of making their own. */
    private final Map<UpstreamKey, Future<MultiplexedConnection>> coming = new HashMap<>();
    /** The keys whose server turned out to speak a multiplexed protocol (by ALPN): their connections are announced. */
    private final Set<UpstreamKey> multiplexedKeys = new HashSet<>();

    /**
     * A connection for {@code key} that may take one more stream and has run at least
     * {@code minCompleted} streams to their end, or {@code null}. The oldest first: streams gather on
     * few connections and the others go idle and close.
     */
    public MultiplexedConnection find(UpstreamKey key, long minCompleted) {
        List<MultiplexedConnection> list = byKey.get(key);
        if (list == null) {
            return null;
        }
        for (Iterator<MultiplexedConnection> it = list.iterator(); it.hasNext(); ) {
            MultiplexedConnection connection = it.next();
            if (!connection.channel().isActive()) {
                it.remove();
            } else if (connection.canOpen() && connection.completedStreams() >= minCompleted) {
                return connection;
            }
        }
        return null;
    }

    /**
     * The connection being made for {@code key}, or {@code null}: it completes with the connection
     * (check {@link MultiplexedConnection#canOpen}, others may have filled it), or with
     * {@code null} or a failure when none came of it (the server spoke HTTP/1.1, or the connect failed).
     */
    public Future<MultiplexedConnection> coming(UpstreamKey key) {
        return coming.get(key);
    }

    /** A connection is being made for {@code key}: until {@code future} completes, streams may wait for it. */
    public void announce(UpstreamKey key, Future<MultiplexedConnection> future) {
        coming.put(key, future);
        future.addListener(f -> coming.remove(key, future));
    }

    /** Whether a connection for {@code key} was multiplexed before: its next ones are announced too. */
    public boolean seen(UpstreamKey key) {
        return multiplexedKeys.contains(key);
    }

    /** Shares {@code connection}, made for {@code key}, until it closes. */
    public void add(UpstreamKey key, MultiplexedConnection connection) {
        multiplexedKeys.add(key);
        byKey.computeIfAbsent(key, k -> new ArrayList<>(2)).add(connection);
        connection.channel().closeFuture().addListener(f -> remove(key, connection));
    }

    private void remove(UpstreamKey key, MultiplexedConnection connection) {
        List<MultiplexedConnection> list = byKey.get(key);
        if (list != null && list.remove(connection) && list.isEmpty()) {
            byKey.remove(key);
        }
    }

    /**
     * Closes every shared connection: their backend's generation was retired (a reload), so no
     * stream can be on them or come to them any more.
     */
    public void closeAll() {
        List<MultiplexedConnection> all = new ArrayList<>();
        byKey.values().forEach(all::addAll);
        for (MultiplexedConnection connection : all) {
            connection.channel().close();
        }
    }

    /** How many connections are shared now. */
    public int size() {
        int n = 0;
        for (List<MultiplexedConnection> list : byKey.values()) {
            n += list.size();
        }
        return n;
    }
}
