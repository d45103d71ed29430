package io.luagate.bench;

import io.luagate.kernel.rule.RuleLanguage;
import io.luagate.plugin.lua.engine.FunctionAccount;
import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.plugin.lua.engine.LuaEngine;
import io.luagate.plugin.lua.engine.LuaSettings;
import io.luagate.plugin.lua.engine.LuaState;
import io.luagate.plugin.lua.engine.SuspensionMode;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.luaj.vm2.LuaValue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code lua.suspension} costs: {@code inline} is a call that cannot yield (a fetch: no
 * fiber at all), {@code yieldableNoYield} the same function as a call that may yield (an action:
 * a fiber that ends without suspending), {@code coroutineRoundTrip} one {@code coroutine.resume}
 * plus {@code coroutine.yield} (two switches of stack, as a call's suspend and resume are). The
 * benchmark thread plays the event loop.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED")
public class LuaSuspensionBench {

    private static final int ROUND_TRIPS = 100;

    @Param({"continuation", "thread"})
    public String mode;

    /** {@code lua.accounting}: each call counted in its function's account, as luagate counts a rule's call. */
    @Param({"true", "false"})
    public boolean accounting;

    private final EventLoop loop = new DefaultEventLoop();
    private LuaState state;
    private LuaValue empty;
    private LuaValue pingPong;
    private FunctionAccount emptyAccount;
    private FunctionAccount pingPongAccount;

    @Setup
    public void load() throws Exception {
        Path home = Files.createTempDirectory("luagate-lua-suspension-bench");
        Files.writeString(home.resolve("bench.lua"), """
                core.register_fetches("empty", function() return 1 end)
                core.register_fetches("pingpong", function()
                  local co = coroutine.wrap(function() while true do coroutine.yield() end end)
                  for i = 1, %d do co() end
                  return 1
                end)
                """.formatted(ROUND_TRIPS));
        LuaSettings settings = new LuaSettings(List.of("bench.lua"), List.of(), List.of(), 10_000,
                4_000_000_000L, 4_000_000_000L, 0, 1_000_000_000L, 0, true, 0, SuspensionMode.parse(mode), accounting);
        LuaEngine engine = BenchLuaEngine.start(home, settings, RuleLanguage.builtin(home, Map.of()), loop);
        state = engine.sharedState();
        empty = state.registrations().fetches.get("empty");
        pingPong = state.registrations().fetches.get("pingpong");
        emptyAccount = engine.accounts().of("fetch", "empty")[0];
        pingPongAccount = engine.accounts().of("fetch", "pingpong")[0];
    }

    @TearDown
    public void stop() {
        loop.shutdownGracefully();
    }

    @Benchmark
    public Object inline() {
        return new LuaCall(state, "bench", false, 4_000_000_000L, loop).accountTo(emptyAccount).invoke(empty, LuaValue.NONE)
                .values();
    }

    @Benchmark
    public Object yieldableNoYield() {
        Object[] result = new Object[1];
        new LuaCall(state, "bench", true, 4_000_000_000L, loop).accountTo(emptyAccount)
                .start(empty, LuaValue.NONE, o -> result[0] = o.values());
        return result[0];
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public Object coroutineRoundTrip() {
        return new LuaCall(state, "bench", false, 4_000_000_000L, loop).accountTo(pingPongAccount)
                .invoke(pingPong, LuaValue.NONE).values();
    }
}
