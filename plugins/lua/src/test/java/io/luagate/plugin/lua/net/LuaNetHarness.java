package io.luagate.plugin.lua.net;

import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.plugin.lua.engine.LuaEngine;
import io.luagate.plugin.lua.engine.LuaSettings;
import io.luagate.plugin.lua.engine.LuaState;
import io.luagate.plugin.lua.engine.NoPatterns;
import io.luagate.plugin.lua.engine.NoSamples;
import io.luagate.plugin.pool.KeyedIdlePoolFactory;
import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.extension.ReloadResult;
import io.luagate.spi.pool.PoolSettings;
import io.luagate.spi.pool.UpstreamPool;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.luaj.vm2.LuaValue;

/**
 * A real Lua engine on real Netty event loops, with the pool plugin's real pools behind
 * {@link ExtensionRuntime#newUpstreamPool}: scripts register fetches, which the tests run as
 * yieldable calls (the way actions run) on a chosen loop.
 */
final class LuaNetHarness implements AutoCloseable {

    final EventLoopGroup group;
    final List<EventLoop> loops = new ArrayList<>();
    final LuaEngine engine;
    /** The pools handed out, with their loops: closed at the end as luagate closes them. */
    final List<Map.Entry<EventLoop, UpstreamPool>> pools = new CopyOnWriteArrayList<>();

    LuaNetHarness(Path home, String script, int threads, IoHandlerFactory io, boolean withPools) throws Exception {
        group = new MultiThreadIoEventLoopGroup(threads, io);
        for (EventExecutor executor : group) {
            loops.add((EventLoop) executor);
        }
        Files.writeString(home.resolve("net.lua"), script);
        LuaSettings settings = new LuaSettings(List.of("net.lua"), List.of(), List.of(), 10_000,
                0, 0, 0, 0, 0);
        engine = new LuaEngine(settings, home, new NoPatterns(), new NoSamples(), threads);
        if (!engine.problems().isEmpty()) {
            close();
            throw new AssertionError("script problems: " + engine.problems());
        }
        KeyedIdlePoolFactory factory = new KeyedIdlePoolFactory();
        engine.start(new ExtensionRuntime() {
            @Override
            public List<EventLoop> eventLoops() {
                return List.copyOf(loops);
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
                return ReloadResult.refused(1, List.of("a test harness has no configuration file to reload"));
            }

            @Override
            public CompletionStage<ReloadResult> reloadAsync() {
                return CompletableFuture.completedFuture(reload());
            }

            @Override
            public Optional<UpstreamPool> newUpstreamPool(EventLoop loop, PoolSettings poolSettings) {
                if (!withPools) {
                    return Optional.empty();
                }
                UpstreamPool pool = factory.create(loop, poolSettings);
                pools.add(Map.entry(loop, pool));
                return Optional.of(pool);
            }
        });
    }

    /** Runs fetch {@code name} as a yieldable call on loop {@code index} and waits for its outcome. */
    LuaCall.Outcome run(String name, int index, LuaValue... args) throws Exception {
        LuaState state = engine.sharedState();
        EventLoop loop = loops.get(index);
        CompletableFuture<LuaCall.Outcome> done = new CompletableFuture<>();
        loop.execute(() -> new LuaCall(state, "action " + name, true, 0, loop)
                .start(state.registrations().fetches.get(name), LuaValue.varargsOf(args), done::complete));
        return done.get(20, TimeUnit.SECONDS);
    }

    /** Runs fetch {@code name} the way a fetch runs: inline, unable to yield. */
    LuaCall.Outcome runInline(String name) throws Exception {
        LuaState state = engine.sharedState();
        EventLoop loop = loops.get(0);
        return loop.submit(() -> new LuaCall(state, "fetch " + name, false, 0, loop)
                .invoke(state.registrations().fetches.get(name), LuaValue.NONE)).get(20, TimeUnit.SECONDS);
    }

    /** The first value of a successful call, as a string. */
    String value(String name, LuaValue... args) throws Exception {
        LuaCall.Outcome outcome = run(name, 0, args);
        if (outcome.failed()) {
            throw new AssertionError(name + " failed: " + outcome.error());
        }
        return outcome.values().arg1().tojstring();
    }

    int idle(int loopIndex) throws Exception {
        EventLoop loop = loops.get(loopIndex);
        return loop.submit(() -> pools.stream().filter(p -> p.getKey() == loop)
                .mapToInt(p -> p.getValue().idleCount()).sum()).get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (engine != null) {
            engine.stop();
        }
        for (Map.Entry<EventLoop, UpstreamPool> pool : pools) {
            pool.getKey().submit(pool.getValue()::close).get(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
}
