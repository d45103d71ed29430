package io.luagate.plugin.lua.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.extension.ScriptFunctionStats;
import io.luagate.spi.extension.ScriptStats;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaValue;

/**
 * Per-function accounting ({@code lua.accounting}) on real scripts and real event loops, with the
 * suspension the JVM allows (the plugin's suite runs once with continuations, once with threads).
 */
class ScriptAccountsTest {

    private static final long MS = 1_000_000L;

    @TempDir
    Path home;

    private final EventLoop loop = new DefaultEventLoop();
    private final EventLoop loop2 = new DefaultEventLoop();

    @AfterEach
    void stop() throws Exception {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        loop2.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    private LuaEngine engine(String shared, String perThread, boolean accounting) throws Exception {
        return engine(shared, perThread, accounting, 10_000);
    }

    private LuaEngine engine(String shared, String perThread, boolean accounting, int forcedYield) throws Exception {
        List<String> load = List.of();
        List<String> loadPerThread = List.of();
        if (shared != null) {
            Files.writeString(home.resolve("shared.lua"), shared);
            load = List.of("shared.lua");
        }
        if (perThread != null) {
            Files.writeString(home.resolve("thread.lua"), perThread);
            loadPerThread = List.of("thread.lua");
        }
        long timeout = 300 * MS;
        LuaSettings settings = new LuaSettings(load, loadPerThread, List.of(), forcedYield, timeout, timeout, 0, 0, 0, true, 0,
                SuspensionMode.AUTO, accounting);
        LuaEngine engine = new LuaEngine(settings, home, new NoPatterns(), new NoSamples(), 2);
        assertEquals(List.of(), engine.problems());
        engine.start(new TestRuntime(List.of(loop, loop2), Map.of(), Map.of()));
        return engine;
    }

    private static LuaState state(LuaEngine engine, EventLoop on) {
        return engine.sharedState() != null ? engine.sharedState() : engine.perThreadState(on);
    }

    /** Calls registered fetch {@code name} inline on {@code on}, counted as luagate counts a fetch. */
    private static LuaCall.Outcome fetch(LuaEngine engine, String name, EventLoop on) throws Exception {
        LuaState state = state(engine, on);
        FunctionAccount account = engine.accounts().of("fetch", name)[state.thread()];
        return on.submit(() -> new LuaCall(state, name, false, engine.settings().sessionTimeoutNanos(), on)
                .accountTo(account)
                .invoke(state.registrations().fetches.get(name), LuaValue.NONE)).get(10, TimeUnit.SECONDS);
    }

    /** Runs registered fetch {@code name} as a yieldable call, counted as an action, and waits for its end. */
    private static LuaCall.Outcome action(LuaEngine engine, String name) throws Exception {
        LuaState state = state(engine, null);
        FunctionAccount account = engine.accounts().of("action", name)[state.thread()];
        EventLoop on = state.loop() != null ? state.loop() : engine.runtime().eventLoops().get(0);
        CompletableFuture<LuaCall.Outcome> done = new CompletableFuture<>();
        on.execute(() -> new LuaCall(state, name, true, engine.settings().sessionTimeoutNanos(), on).accountTo(account)
                .start(state.registrations().fetches.get(name), LuaValue.NONE, done::complete));
        return done.get(10, TimeUnit.SECONDS);
    }

    private static ScriptFunctionStats figures(LuaEngine engine, String kind, String name) {
        for (ScriptFunctionStats f : engine.accounts().snapshot().functions()) {
            if (f.kind().equals(kind) && f.name().equals(name)) {
                return f;
            }
        }
        throw new AssertionError(kind + " " + name + " not in " + engine.accounts().snapshot());
    }

    private static final String BUSY = """
            local function now()
              local t = core.now()
              return t.sec * 1000 + t.usec / 1000
            end
            local function busy(ms)
              local t = now()
              while now() - t < ms do end
            end
            """;

    @Test
    void errorsAndTimeoutsAreCountedApart() throws Exception {
        LuaEngine engine = engine(BUSY + """
                core.register_fetches("ok", function() return 1 end)
                core.register_fetches("fails", function() error("boom") end)
                core.register_fetches("endless", function() while true do end end)
                core.register_fetches("caught", function() return pcall(error, "x") end)
                """, null, true);
        for (int i = 0; i < 3; i++) {
            assertNull(fetch(engine, "ok", loop).error());
        }
        assertTrue(fetch(engine, "fails", loop).error().contains("boom"));
        assertTrue(fetch(engine, "fails", loop).error().contains("boom"));
        assertTrue(fetch(engine, "endless", loop).error().startsWith("execution timeout"));
        assertNull(fetch(engine, "caught", loop).error());

        assertEquals(List.of(3L, 0L, 0L), counts(figures(engine, "fetch", "ok")));
        assertEquals(List.of(2L, 2L, 0L), counts(figures(engine, "fetch", "fails")));
        assertEquals(List.of(1L, 0L, 1L), counts(figures(engine, "fetch", "endless")));
        assertEquals(List.of(1L, 0L, 0L), counts(figures(engine, "fetch", "caught")), "an error the script catches is no error of the call");
        ScriptFunctionStats endless = figures(engine, "fetch", "endless");
        assertTrue(endless.runNanos() >= 300 * MS, "the timed-out call ran its whole budget: " + endless);
    }

    private static List<Long> counts(ScriptFunctionStats f) {
        return List.of(f.calls(), f.errors(), f.timeouts());
    }

    @Test
    void runTimeGrowsWithABusyLoopAndLeavesSleepsOut() throws Exception {
        // Forced yields far apart: each wall-clock busy half runs in one slice, not suspended half-way.
        LuaEngine engine = engine(BUSY + """
                core.register_fetches("quick", function() return 1 end)
                core.register_fetches("busy", function() busy(80) return 1 end)
                core.register_fetches("sleepy", function() busy(40) core.msleep(400) busy(40) return 1 end)
                """, null, true, 100_000_000);
        fetch(engine, "quick", loop);
        fetch(engine, "busy", loop);
        long started = System.nanoTime();
        assertNull(action(engine, "sleepy").error());
        long elapsed = System.nanoTime() - started;

        long quick = figures(engine, "fetch", "quick").runNanos();
        long busy = figures(engine, "fetch", "busy").runNanos();
        long sleepy = figures(engine, "action", "sleepy").runNanos();
        assertTrue(quick > 0 && quick < 20 * MS, "quick: " + quick);
        // core.now() reads the wall clock to the microsecond, as HAProxy's gettimeofday() does.
        assertTrue(busy >= 79 * MS && busy < 1000 * MS, "busy: " + busy);
        // Both halves count, on either side of the resumption, and the sleep does not.
        assertTrue(sleepy >= 78 * MS && sleepy <= elapsed - 400 * MS, "sleepy: " + sleepy + " of " + elapsed);
        assertEquals(1, figures(engine, "action", "sleepy").calls());
    }

    @Test
    void allocationGrowsWhenAFunctionBuildsABigTable() throws Exception {
        LuaEngine engine = engine("""
                core.register_fetches("small", function() return 1 end)
                core.register_fetches("big", function()
                  local t = {}
                  for i = 1, 200000 do t[i] = "item" .. i end
                  return #t
                end)
                core.register_fetches("bigAcrossSleep", function()
                  local t = {}
                  for i = 1, 100000 do t[i] = "a" .. i end
                  core.msleep(1)
                  for i = 1, 100000 do t[#t + 1] = "b" .. i end
                  return #t
                end)
                """, null, true);
        // The first call of each function is sampled, then one in 16.
        fetch(engine, "small", loop);
        fetch(engine, "big", loop);
        action(engine, "bigAcrossSleep");

        long small = figures(engine, "fetch", "small").allocatedBytes();
        long big = figures(engine, "fetch", "big").allocatedBytes();
        assertTrue(small >= 0 && small < 64 * 1024, "small: " + small);
        assertTrue(big > 8L * 1024 * 1024, "200,000 strings in a table: " + big);
        long across = figures(engine, "action", "bigAcrossSleep").allocatedBytes();
        if (engine.fibers.sharesThread()) {
            // Continuations: both slices run on the loop's thread, whose counter sees them.
            assertTrue(across > 8L * 1024 * 1024, "both halves, across the resumption: " + across);
        } else {
            // Threads: the call ran on a virtual thread, which has no counter; unknown, not 0.
            assertEquals(-1, across);
        }

        // Later calls are sampled one in 16 and the figure scaled to every call.
        for (int i = 0; i < 31; i++) {
            fetch(engine, "big", loop);
        }
        long thirtyTwo = figures(engine, "fetch", "big").allocatedBytes();
        assertTrue(thirtyTwo > 20 * big && thirtyTwo < 50 * big, "32 calls against one: " + thirtyTwo + " / " + big);
    }

    @Test
    void lockWaitGrowsUnderContentionOfTheSharedState() throws Exception {
        LuaEngine engine = engine(BUSY + """
                core.register_fetches("busy", function() busy(150) return 1 end)
                """, null, true);
        assertEquals(0, engine.accounts().snapshot().lockWaits());
        contend(engine);

        ScriptStats stats = engine.accounts().snapshot();
        assertTrue(stats.lockWaits() >= 1, stats.toString());
        assertTrue(stats.lockWaitNanos() >= 50 * MS, "the second call waited for most of the first: " + stats);
        assertTrue(stats.maxLockWaitNanos() >= 50 * MS && stats.maxLockWaitNanos() <= stats.lockWaitNanos(), stats.toString());
        assertEquals(2, figures(engine, "fetch", "busy").calls());
    }

    @Test
    void perThreadStatesHaveNoLockToWaitFor() throws Exception {
        LuaEngine engine = engine(null, BUSY + """
                core.register_fetches("busy", function() busy(150) return 1 end)
                """, true);
        contend(engine);

        ScriptStats stats = engine.accounts().snapshot();
        assertEquals(0, stats.lockWaits());
        assertEquals(0, stats.lockWaitNanos());
        // One entry for the registration, both loops' states added up.
        assertEquals(1, stats.functions().size(), stats.toString());
        assertEquals(2, figures(engine, "fetch", "busy").calls());
        assertTrue(figures(engine, "fetch", "busy").runNanos() >= 298 * MS, figures(engine, "fetch", "busy").toString());
    }

    /** Runs fetch {@code busy} on both loops at once. */
    private static void contend(LuaEngine engine) throws Exception {
        CountDownLatch ready = new CountDownLatch(2);
        CompletableFuture<LuaCall.Outcome> first = new CompletableFuture<>();
        CompletableFuture<LuaCall.Outcome> second = new CompletableFuture<>();
        EventLoop[] loops = engine.runtime().eventLoops().toArray(EventLoop[]::new);
        for (int i = 0; i < 2; i++) {
            EventLoop on = loops[i];
            CompletableFuture<LuaCall.Outcome> result = i == 0 ? first : second;
            on.execute(() -> {
                ready.countDown();
                try {
                    ready.await();
                    LuaState state = state(engine, on);
                    result.complete(new LuaCall(state, "busy", false, engine.settings().sessionTimeoutNanos(), on)
                            .accountTo(engine.accounts().of("fetch", "busy")[state.thread()])
                            .invoke(state.registrations().fetches.get("busy"), LuaValue.NONE));
                } catch (InterruptedException e) {
                    result.completeExceptionally(e);
                }
            });
        }
        assertNull(first.get(10, TimeUnit.SECONDS).error());
        assertNull(second.get(10, TimeUnit.SECONDS).error());
    }

    @Test
    void tasksAndInitFunctionsAreKnownByWhereTheyAreDefined() throws Exception {
        LuaEngine engine = engine("""
                core.register_init(function()
                  local t = {}
                  for i = 1, 1000 do t[i] = i end
                end)
                core.register_task(function()
                  error("task failed")
                end)
                """, null, true);
        ScriptFunctionStats init = figures(engine, "init", "shared.lua:1");
        assertEquals(1, init.calls());
        assertTrue(init.allocatedBytes() > 0, init.toString());
        long deadline = System.nanoTime() + 5_000 * MS;
        // The task starts on its loop after start() returned.
        while (engine.accounts().snapshot().functions().stream().noneMatch(f -> f.kind().equals("task") && f.errors() == 1)
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of(1L, 1L, 0L), counts(figures(engine, "task", "shared.lua:5")));
    }

    @Test
    void withAccountingOffNothingIsCounted() throws Exception {
        LuaEngine engine = engine("""
                core.register_fetches("ok", function() return 1 end)
                """, null, false);
        assertNull(engine.accounts().of("fetch", "ok")[0]);
        assertNull(fetch(engine, "ok", loop).error());
        assertEquals(List.of(), engine.accounts().snapshot().functions());
        assertNotNull(engine.accounts().snapshot());
    }
}
