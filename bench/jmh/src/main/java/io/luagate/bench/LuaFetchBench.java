package io.luagate.bench;

import io.luagate.kernel.rule.RuleLanguage;
import io.luagate.kernel.rule.TestTransaction;
import io.luagate.plugin.lua.api.LuaApi;
import io.luagate.plugin.lua.api.TxnContext;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one call from Java into a Lua fetch, as a rule makes it: a call object with its
 * limits, the TXN object, entering the state (lock, hook, error handler), the call, the result.
 * {@code emptyFetch} returns a constant; {@code headerFetch} reads a header through
 * {@code txn.f:req_hdr("host")} (one fetch of the rule language from Lua). Issue 4's bar: under
 * 0.5 us for the call. {@code accounting}: {@code lua.accounting}, each call counted in its
 * function's account as luagate counts a rule's call (false: no account, what the switch saves).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED")
public class LuaFetchBench {

    @Param({"true", "false"})
    public boolean accounting;

    private final EventLoop loop = new DefaultEventLoop();
    private LuaState state;
    private FunctionAccount emptyAccount;
    private FunctionAccount headerAccount;
    private LuaApi api;
    private LuaValue empty;
    private LuaValue header;
    private TestTransaction txn;

    @Setup
    public void load() throws Exception {
        Path home = Files.createTempDirectory("luagate-lua-bench");
        Files.writeString(home.resolve("bench.lua"), """
                core.register_fetches("empty", function(txn) return "api" end)
                core.register_fetches("header", function(txn) return txn.f:req_hdr("host") end)
                """);
        RuleLanguage language = RuleLanguage.builtin(home, Map.of());
        LuaSettings settings = new LuaSettings(List.of("bench.lua"), List.of(), List.of(), 10_000,
                4_000_000_000L, 4_000_000_000L, 0, 1_000_000_000L, 0, true, 0, SuspensionMode.AUTO, accounting);
        LuaEngine engine = BenchLuaEngine.start(home, settings, language, loop);
        state = engine.sharedState();
        api = (LuaApi) state.api();
        empty = state.registrations().fetches.get("empty");
        header = state.registrations().fetches.get("header");
        emptyAccount = engine.accounts().of("fetch", "empty")[0];
        headerAccount = engine.accounts().of("fetch", "header")[0];
        txn = new TestTransaction("GET", "/api/users/42", "Host", "shop.example.com");
    }

    @TearDown
    public void stop() {
        loop.shutdownGracefully();
    }

    private Object call(LuaValue function, FunctionAccount account) {
        LuaCall call = new LuaCall(state, "bench", false, 4_000_000_000L, loop).accountTo(account);
        return call.invoke(function, api.txn(new TxnContext(state, txn, false, call))).values().arg1();
    }

    @Benchmark
    public Object emptyFetch() {
        return call(empty, emptyAccount);
    }

    @Benchmark
    public Object headerFetch() {
        return call(header, headerAccount);
    }
}
