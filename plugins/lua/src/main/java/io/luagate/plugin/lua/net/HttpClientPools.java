package io.luagate.plugin.lua.net;

import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.pool.PoolSettings;
import io.luagate.spi.pool.UpstreamPool;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP client's idle connections, one pool per event loop, made on first use by luagate's pool
 * plugin ({@link ExtensionRuntime#newUpstreamPool}); luagate closes them when it stops.
 */
public final class HttpClientPools {

    /** Up to 16 idle connections per destination and loop, each kept 5 s (HAProxy's pool-purge-delay). */
    static final PoolSettings SETTINGS = new PoolSettings(16, 5_000);

    private final Map<EventLoop, Optional<UpstreamPool>> pools = new ConcurrentHashMap<>();

    /** The pool of {@code loop}, or {@code null} when there is none (no pool plugin, or luagate not started). */
    public UpstreamPool forLoop(ExtensionRuntime runtime, EventLoop loop) {
        if (runtime == null) {
            return null;
        }
        return pools.computeIfAbsent(loop, l -> runtime.newUpstreamPool(l, SETTINGS)).orElse(null);
    }
}
