package io.luagate.plugin.lua.engine;

import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.extension.ReloadResult;
import io.luagate.spi.pool.PoolSettings;
import io.luagate.spi.pool.UpstreamPool;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** What the kernel gives a started engine, fixed for a test: its loops and proxies, and no upstream pool plugin. */
public record TestRuntime(List<EventLoop> eventLoops, Map<String, Frontend> frontends, Map<String, Backend> backends)
        implements ExtensionRuntime {

    /** One loop, no proxies. */
    public static TestRuntime of(EventLoop loop) {
        return new TestRuntime(List.of(loop), Map.of(), Map.of());
    }

    @Override
    public long generation() {
        return 1;
    }

    @Override
    public ReloadResult reload() {
        return ReloadResult.refused(1, List.of("a test runtime has no configuration file to reload"));
    }

    @Override
    public CompletionStage<ReloadResult> reloadAsync() {
        return CompletableFuture.completedFuture(reload());
    }

    @Override
    public Optional<UpstreamPool> newUpstreamPool(EventLoop loop, PoolSettings settings) {
        return Optional.empty();
    }
}
