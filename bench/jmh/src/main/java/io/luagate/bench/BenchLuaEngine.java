package io.luagate.bench;

import io.luagate.kernel.extension.KernelSampleLibrary;
import io.luagate.kernel.rule.RuleLanguage;
import io.luagate.plugin.lua.engine.LuaEngine;
import io.luagate.plugin.lua.engine.LuaSettings;
import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.extension.ReloadResult;
import io.luagate.spi.pattern.PatternFiles;
import io.luagate.spi.pool.PoolSettings;
import io.luagate.spi.pool.UpstreamPool;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.netty.channel.EventLoop;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A started Lua engine on one event loop, with the kernel's sample library and no proxies: what the Lua benchmarks measure in. */
final class BenchLuaEngine {

    private BenchLuaEngine() {
    }

    static LuaEngine start(Path home, LuaSettings settings, RuleLanguage language, EventLoop loop) {
        LuaEngine engine = new LuaEngine(settings, home, (PatternFiles) null,
                new KernelSampleLibrary(language, home, Set.of(), name -> null), 1);
        if (!engine.problems().isEmpty()) {
            throw new IllegalStateException(engine.problems().toString());
        }
        engine.start(new ExtensionRuntime() {
            @Override
            public List<EventLoop> eventLoops() {
                return List.of(loop);
            }

            @Override
            public Map<String, Frontend> frontends() {
                return Map.of();
            }

            @Override
            public Map<String, Backend> backends() {
                return Map.of();
            }

            @Override
            public long generation() {
                return 1;
            }

            @Override
            public ReloadResult reload() {
                return ReloadResult.refused(1, List.of("a benchmark has no configuration file to reload"));
            }

            @Override
            public CompletionStage<ReloadResult> reloadAsync() {
                return CompletableFuture.completedFuture(reload());
            }

            @Override
            public Optional<UpstreamPool> newUpstreamPool(EventLoop eventLoop, PoolSettings pool) {
                return Optional.empty();
            }
        });
        return engine;
    }
}
