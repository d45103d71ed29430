package io.luagate.kernel.proxy;

import io.luagate.spi.codec.MultiplexedConnection;
import io.luagate.spi.pool.UpstreamKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The multiplexed (HTTP/2) connections of one backend on one event loop, by {@link UpstreamKey}
 * (compared with {@code equals}: a stream joins only a connection made for exactly its
 * destination). Unlike idle connections these are shared while busy: a stream takes one stream of
 * a connection, so a connection stays here for its whole life and leaves when it closes. Confined
 * to its loop, so nothing is locked.
 */
public final class MultiplexedPool {

    private final Map<UpstreamKey, List<MultiplexedConnection>> byKey = new HashMap<>();

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

    /** Shares {@code connection}, made for {@code key}, until it closes. */
    public void add(UpstreamKey key, MultiplexedConnection connection) {
        byKey.computeIfAbsent(key, k -> new ArrayList<>(2)).add(connection);
        connection.channel().closeFuture().addListener(f -> remove(key, connection));
    }

    private void remove(UpstreamKey key, MultiplexedConnection connection) {
        List<MultiplexedConnection> list = byKey.get(key);
        if (list != null && list.remove(connection) && list.isEmpty()) {
            byKey.remove(key);
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
