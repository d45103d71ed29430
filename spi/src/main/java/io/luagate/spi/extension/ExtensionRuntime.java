package io.luagate.spi.extension;

import io.luagate.spi.pool.PoolSettings;
import io.luagate.spi.pool.UpstreamKey;
import io.luagate.spi.pool.UpstreamPool;
import io.luagate.spi.pool.UpstreamPoolFactory;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.tls.TlsTerminator;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What an {@link Extension} receives when luagate starts. */
public interface ExtensionRuntime {

    /** The event loops, in order: loop {@code i} is thread number {@code i + 1}. */
    List<EventLoop> eventLoops();

    /** The frontends by name, in configuration order. */
    Map<String, Frontend> frontends();

    /** The backends by name, in configuration order. */
    Map<String, Backend> backends();

    /**
     * A new pool of idle upstream connections for connections an extension opens itself (the Lua
     * HTTP client, for one), made by the configured {@link UpstreamPoolFactory} as the backends'
     * pools are. The pool is confined to {@code loop}, like every pool: call it only there, and
     * offer it only connections registered on that loop. The extension puts a partition of its own
     * (for example {@code "lua.httpclient"}) in every {@link UpstreamKey} it uses, so that its
     * connections are never handed to a backend and a backend's never to it. luagate closes the
     * pool, with its idle connections, when it stops.
     *
     * @param loop     one of {@link #eventLoops()}
     * @param settings how many idle connections to keep per destination, and for how long
     * @return the pool, or empty when no pool plugin is installed (the extension then closes its
     *         connections after use)
     * @throws IllegalArgumentException if {@code loop} is not one of luagate's event loops
     */
    Optional<UpstreamPool> newUpstreamPool(EventLoop loop, PoolSettings settings);

    /**
     * The installed TLS plugin, or empty when there is none: for an extension that acts on TLS as a
     * whole (an admin API reloading the binds' certificates).
     */
    default Optional<TlsTerminator> tls() {
        return Optional.empty();
    }
}
