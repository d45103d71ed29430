package io.luagate.plugin.lua.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/** Limits a script cannot defeat, and failures that end one call with a logged reason instead of vanishing. */
class LuaLimitsTest {

    @TempDir
    Path home;

    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() throws Exception {
        io.luagate.plugin.lua.lib.HeapBudget.configure(0);
        // Bounded: a call that never ends would hold the loop, and the test must fail, not hang.
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    private LuaEngine engine(String script) throws Exception {
        Files.writeString(home.resolve("shared.lua"), script);
        long timeout = TimeUnit.MILLISECONDS.toNanos(300);
        LuaSettings settings = new LuaSettings(List.of("shared.lua"), List.of(), List.of(), 10_000, timeout, timeout, 0,
                timeout, 0);
        LuaEngine engine = new LuaEngine(settings, home, new NoPatterns(), new NoSamples(), 1);
        assertEquals(List.of(), engine.problems());
        return engine;
    }

    private LuaCall.Outcome action(LuaEngine engine, String name) throws Exception {
        return action(engine, name, LuaValue.NONE);
    }

    private LuaCall.Outcome action(LuaEngine engine, String name, Varargs args) throws Exception {
        LuaState state = engine.sharedState();
        CompletableFuture<LuaCall.Outcome> done = new CompletableFuture<>();
        loop.execute(() -> new LuaCall(state, name, true, engine.settings().sessionTimeoutNanos(), loop)
                .start(state.registrations().fetches.get(name), args, done::complete));
        return done.get(10, TimeUnit.SECONDS);
    }

    private LuaCall.Outcome fetch(LuaEngine engine, String name) throws Exception {
        LuaState state = engine.sharedState();
        return loop.submit(() -> new LuaCall(state, name, false, engine.settings().sessionTimeoutNanos(), loop)
                .invoke(state.registrations().fetches.get(name), LuaValue.NONE)).get(10, TimeUnit.SECONDS);
    }

    private static final String HANDLER_LOOP = """
            core.register_fetches("spin", function()
              while true do
                xpcall(function() error("x") end, function(m) while true do end end)
              end
            end)
            """;

    /** LuaJ runs message handlers inside catch (Throwable): the limit must still end the call. */
    @Test
    void anXpcallHandlerCannotSwallowTheTimeoutOfAnAction() throws Exception {
        LuaEngine engine = engine(HANDLER_LOOP);
        engine.start(TestRuntime.of(loop));
        LuaCall.Outcome outcome = action(engine, "spin");
        assertTrue(outcome.failed());
        assertTrue(outcome.error().startsWith("execution timeout"), outcome.error());
    }

    @Test
    void anXpcallHandlerCannotSwallowTheTimeoutOfAFetch() throws Exception {
        LuaEngine engine = engine(HANDLER_LOOP);
        engine.start(TestRuntime.of(loop));
        LuaCall.Outcome outcome = fetch(engine, "spin");
        assertTrue(outcome.failed());
        assertTrue(outcome.error().startsWith("execution timeout"), outcome.error());
    }

    /** LuaJ runs a chunk with a table environment without its hook; luagate's load keeps the hook. */
    @Test
    void aChunkLoadedWithItsOwnEnvironmentStillHasTheLimits() throws Exception {
        LuaEngine engine = engine("""
                core.register_fetches("env", function()
                  local f = load("x = y + 1; return x, _G", "chunk", "t", { y = 41 })
                  local x, g = f()
                  return tostring(x) .. "|" .. tostring(g) .. "|" .. tostring(rawget(_G, "x"))
                end)
                core.register_fetches("spin", function()
                  local f = load("local n = 0; while true do n = (function() return n + 1 end)() end", "chunk", "t", {})
                  return f()
                end)
                """);
        engine.start(TestRuntime.of(loop));
        assertEquals("42|nil|nil", fetch(engine, "env").values().arg1().tojstring());
        LuaCall.Outcome outcome = fetch(engine, "spin");
        assertTrue(outcome.failed());
        assertTrue(outcome.error().startsWith("execution timeout"), outcome.error());
    }

    @Test
    void aLimitErrorNamesTheLineAndCarriesTheTraceback() throws Exception {
        LuaEngine engine = engine("""
                core.register_fetches("spin", function()
                  while true do end
                end)
                """);
        engine.start(TestRuntime.of(loop));
        String error = fetch(engine, "spin").error();
        assertTrue(error.startsWith("execution timeout"), error);
        assertTrue(error.contains("shared.lua:2: stack traceback:"), error);
        assertTrue(error.contains("in function <shared.lua:1>"), error);
    }

    /** A script body runs outside any call: burst-timeout bounds it, so a start (or a check) cannot hang. */
    @Test
    void anEndlessScriptBodyIsAProblemNotAHang() throws Exception {
        Files.writeString(home.resolve("shared.lua"), "local n = 0\nwhile true do n = n + 1 end\n");
        long timeout = TimeUnit.MILLISECONDS.toNanos(300);
        LuaEngine engine = new LuaEngine(new LuaSettings(List.of("shared.lua"), List.of(), List.of(), 10_000, timeout,
                timeout, 0, timeout, 0), home, new NoPatterns(), new NoSamples(), 1);
        assertEquals(1, engine.problems().size(), engine.problems().toString());
        String problem = engine.problems().get(0);
        assertTrue(problem.startsWith("shared.lua:2: execution timeout (burst-timeout"), problem);
    }

    @Test
    void anEndlessInitFunctionStopsTheStart() throws Exception {
        LuaEngine engine = engine("core.register_init(function() while true do end end)\n");
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> engine.start(TestRuntime.of(loop)));
        assertTrue(e.getMessage().contains("shared.lua:1: execution timeout (burst-timeout"), e.getMessage());
    }

    /** An Error of the JVM inside a call (here the one a full heap throws) fails that call, reported. */
    @Test
    void aJvmErrorInsideACallFailsThatCallOnly() throws Exception {
        LuaEngine engine = engine("""
                core.register_fetches("grow", function() return exhaust() end)
                core.register_fetches("fine", function() return "fine" end)
                """);
        engine.sharedState().globals().set("exhaust", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                throw new OutOfMemoryError("Java heap space");
            }
        });
        engine.start(TestRuntime.of(loop));
        LuaCall.Outcome action = action(engine, "grow");
        assertEquals("not enough memory (the JVM heap is full: Java heap space)", action.error());
        assertEquals("not enough memory (the JVM heap is full: Java heap space)", fetch(engine, "grow").error());
        assertEquals("fine", action(engine, "fine").values().arg1().tojstring());
    }

    /**
     * lua.max-heap: a script that keeps 40 MiB per call in a global gets "not enough memory" before
     * the JVM's heap is full, while calls that allocate little go on; over the budget, a call that
     * runs long enough to meet a limit check ends with it too.
     */
    @Test
    void theHeapBudgetRefusesAGrowingGlobalAndSparesTheRest() throws Exception {
        LuaEngine engine = engine("""
                kept = {}
                core.register_fetches("grow", function()
                  kept[#kept + 1] = string.rep("x", 40 * 1024 * 1024)
                  return #kept
                end)
                core.register_fetches("fine", function() return "fine" end)
                core.register_fetches("busy", function()
                  local t = {}
                  for i = 1, 100000 do t[i] = i end
                  return #t
                end)
                """);
        engine.start(TestRuntime.of(loop));
        io.luagate.plugin.lua.lib.HeapBudget.configure(Long.MAX_VALUE);
        collect();
        io.luagate.plugin.lua.lib.HeapBudget.configure(
                io.luagate.plugin.lua.lib.HeapBudget.usedAfterCollection() + (200L << 20));
        String refused = null;
        int grown = 0;
        for (int i = 0; i < 20 && refused == null; i++) {
            LuaCall.Outcome outcome = fetch(engine, "grow");
            if (outcome.failed()) {
                refused = outcome.error();
            } else {
                grown = outcome.values().arg1().toint();
            }
            assertEquals("fine", fetch(engine, "fine").values().arg1().tojstring());
            collect();
        }
        assertTrue(refused != null && refused.contains("not enough memory (lua.max-heap: "), String.valueOf(refused));
        assertTrue(grown >= 3 && grown <= 6, "kept " + grown + " strings of 40 MiB before the refusal");
        assertEquals(100000, fetch(engine, "busy").values().arg1().toint());
        // Over the budget: a call that meets a limit check ends; a short one still runs.
        io.luagate.plugin.lua.lib.HeapBudget.configure(1);
        String busy = action(engine, "busy").error();
        assertTrue(busy != null && busy.contains("not enough memory (lua.max-heap: "), String.valueOf(busy));
        assertEquals("fine", fetch(engine, "fine").values().arg1().tojstring());
        engine.stop();
    }

    /** A full collection and its report: the budget's figure is fresh. */
    private static void collect() throws InterruptedException {
        long before = io.luagate.plugin.lua.lib.HeapBudget.usedAfterCollection();
        System.gc();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (io.luagate.plugin.lua.lib.HeapBudget.usedAfterCollection() == before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /**
     * An Error on a file worker thread (a read that filled the heap) fails the call that waited for
     * it, which must be resumed rather than left waiting; the pool goes on serving later work.
     */
    @Test
    void anErrorOnAFileWorkerFailsItsCallAndThePoolGoesOn() throws Exception {
        LuaEngine engine = engine("""
                core.register_fetches("work", function(what) return blocking(what) end)
                """);
        FileWorkers workers = new FileWorkers(true);
        engine.sharedState().globals().set("blocking", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                boolean fail = args.arg1().tojstring().equals("fail");
                try {
                    return LuaValue.valueOf(workers.run("io.read", () -> {
                        if (fail) {
                            throw new OutOfMemoryError("Java heap space");
                        }
                        return "read on " + Thread.currentThread().getName().replaceAll("-\\d+$", "");
                    }));
                } catch (java.io.IOException e) {
                    throw new org.luaj.vm2.LuaError(e.getMessage());
                }
            }
        });
        engine.start(TestRuntime.of(loop));
        try {
            for (int i = 0; i < 3; i++) {
                assertEquals("not enough memory (the JVM heap is full: Java heap space)",
                        action(engine, "work", LuaValue.valueOf("fail")).error());
            }
            assertEquals("read on lua-io", action(engine, "work", LuaValue.valueOf("read")).values().arg1().tojstring());
        } finally {
            workers.shutdown();
        }
    }
}
