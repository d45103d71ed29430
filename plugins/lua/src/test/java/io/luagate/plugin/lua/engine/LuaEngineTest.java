package io.luagate.plugin.lua.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaValue;

/** The engine on real scripts: sandbox, limits, fibers, coroutines, state isolation. */
class LuaEngineTest {

    @TempDir
    Path home;

    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() throws Exception {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private LuaEngine engine(String script, String perThreadScript, long timeoutMillis, long maxmem) throws Exception {
        List<String> load = List.of();
        List<String> perThread = List.of();
        if (script != null) {
            Files.writeString(home.resolve("shared.lua"), script);
            load = List.of("shared.lua");
        }
        if (perThreadScript != null) {
            Files.writeString(home.resolve("thread.lua"), perThreadScript);
            perThread = List.of("thread.lua");
        }
        LuaSettings settings = new LuaSettings(load, perThread, List.of(), 10_000, timeoutMillis * 1_000_000L,
                timeoutMillis * 1_000_000L, 0, 0, maxmem);
        return new LuaEngine(settings, home, new NoPatterns(), new NoSamples(), 1);
    }

    private void start(LuaEngine engine) {
        engine.start(TestRuntime.of(loop));
    }

    /** Runs registered fetch {@code name} inline (as a fetch runs) and returns its outcome. */
    private LuaCall.Outcome fetch(LuaEngine engine, String name) throws Exception {
        LuaState state = engine.sharedState();
        return loop.submit(() -> new LuaCall(state, name, false, engine.settings().sessionTimeoutNanos(), loop)
                .invoke(state.registrations().fetches.get(name), LuaValue.NONE)).get(10, TimeUnit.SECONDS);
    }

    /** Runs registered fetch {@code name} as a yieldable call (as an action runs) and waits for it. */
    private LuaCall.Outcome action(LuaEngine engine, String name) throws Exception {
        LuaState state = engine.sharedState();
        CompletableFuture<LuaCall.Outcome> done = new CompletableFuture<>();
        loop.execute(() -> new LuaCall(state, name, true, engine.settings().sessionTimeoutNanos(), loop)
                .start(state.registrations().fetches.get(name), LuaValue.NONE, done::complete));
        return done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void sandboxRefusesEscapesAfterInit() throws Exception {
        LuaEngine engine = engine("""
                local init_io = io ~= nil and io.open ~= nil
                core.register_fetches("probe", function(code)
                  local f = load(code)
                  local ok, err = pcall(f)
                  return tostring(ok) .. "|" .. tostring(err)
                end)
                core.register_fetches("check", function()
                  local out = {}
                  for _, c in ipairs({
                    "return io.open('/etc/passwd')",
                    "return os.execute('true')",
                    "return os.exit(1)",
                    "return dofile('/etc/passwd')",
                    "return loadfile('/etc/passwd')",
                    "return require('org.luaj.vm2.lib.jse.LuajavaLib')",
                    "return luajava.bindClass('java.lang.System')",
                    "return debug.setmetatable(1, {})",
                    "return package.loadlib('x', 'y')",
                  }) do
                    local ok, err = pcall(load(c))
                    out[#out + 1] = tostring(ok) .. ":" .. tostring(err)
                  end
                  local f, err = load("return io, y", "x", "t", { y = 1 })
                  out[#out + 1] = tostring(select(2, f())) .. ":" .. tostring(f())
                  local g, err2 = load(string.dump(function() return 1 end))
                  out[#out + 1] = tostring(g) .. ":" .. tostring(err2)
                  return table.concat(out, "||")
                end)
                assert(init_io, "io is available to the script body")
                """, null, 2000, 0);
        assertEquals(List.of(), engine.problems());
        start(engine);
        String result = fetch(engine, "check").values().arg1().tojstring();
        String[] lines = result.split("\\|\\|");
        assertEquals(11, lines.length, result);
        assertTrue(lines[0].startsWith("false:") && lines[0].contains("io.open cannot run in a fetch or converter"), lines[0]);
        assertTrue(lines[1].contains("os.execute is not allowed at run time"), lines[1]);
        assertTrue(lines[2].contains("os.exit is not allowed at run time"), lines[2]);
        assertTrue(lines[3].contains("dofile is not allowed"), lines[3]);
        assertTrue(lines[4].contains("loadfile is not allowed"), lines[4]);
        assertTrue(lines[5].startsWith("false:") && lines[5].contains("require"), lines[5]);
        assertTrue(lines[6].startsWith("false:"), lines[6]);
        assertTrue(lines[7].startsWith("false:"), lines[7]);
        assertTrue(lines[8].startsWith("false:"), lines[8]);
        assertEquals("1:nil", lines[9], "a chunk with its own environment sees only that environment");
        assertTrue(lines[10].startsWith("nil:"), lines[10]);
    }

    @Test
    void stringLibraryChangesStayInTheirState() throws Exception {
        LuaEngine engine = engine("""
                string.upper = function() return "HACKED" end
                function string.shout(s) return s .. "!" end
                core.register_fetches("a", function() return ("x"):upper() .. ("y"):shout() end)
                """, """
                core.register_fetches("b", function() return ("x"):upper() .. tostring(string.shout) end)
                """, 2000, 0);
        assertEquals(List.of(), engine.problems());
        start(engine);
        assertEquals("HACKEDy!", fetch(engine, "a").values().arg1().tojstring());
        LuaState perThread = engine.perThreadState(loop);
        LuaCall.Outcome b = loop.submit(() -> new LuaCall(perThread, "b", false, 0, loop)
                .invoke(perThread.registrations().fetches.get("b"), LuaValue.NONE)).get(10, TimeUnit.SECONDS);
        assertEquals("Xnil", b.values().arg1().tojstring());
    }

    /** The values HAProxy 2.6.12 (Lua 5.3) gives for the same lines. */
    @Test
    void errorAndXpcallHandOverWhatLua53Does() throws Exception {
        LuaEngine engine = engine("""
                core.register_fetches("errors", function()
                  local r = {}
                  r[#r+1] = select(2, pcall(function() error("x") end))
                  r[#r+1] = select(2, pcall(function() error("x", 0) end))
                  r[#r+1] = select(2, pcall(function() error("x", 2) end))
                  r[#r+1] = select(2, xpcall(function() error("x", 0) end, function(m) return "h " .. m end))
                  r[#r+1] = select(2, xpcall(function() error("x") end, function(m) return "h " .. m end))
                  r[#r+1] = select(2, xpcall(function() error({}) end, function(m) return "h " .. type(m) end))
                  r[#r+1] = select(2, xpcall(function() error() end, function(m) return "h " .. tostring(m) end))
                  r[#r+1] = type(select(2, xpcall(function() error("x") end, function(m) return { m } end)))
                  r[#r+1] = select(2, xpcall(function() local t = nil; return t.x end, function(m) return "h " .. m end)):match("^h shared.lua:11: ") and "vm" or "?"
                  r[#r+1] = tostring(select(2, pcall(error)))
                  r[#r+1] = select(2, pcall(error, "host:80 down", 0))
                  local function lib() error("bad input", 2) end
                  r[#r+1] = select(2, pcall(function() lib() end))
                  return table.concat(r, "|")
                end)
                """, null, 2000, 0);
        assertEquals(List.of(), engine.problems());
        start(engine);
        assertEquals("shared.lua:3: x|x|x|h x|h shared.lua:7: x|h table|h nil|table|vm|nil|host:80 down|shared.lua:15: bad input",
                fetch(engine, "errors").values().arg1().tojstring());
    }

    /** LuaJ's own error, assert and tojstring fail on a string that ends inside a UTF-8 sequence. */
    @Test
    void errorsCarryAnyBytesAndAssertRaisesAsLua53() throws Exception {
        LuaEngine engine = engine("""
                core.register_fetches("asserts", function()
                  local r = {}
                  r[#r+1] = select(2, pcall(function() assert(false, "y") end))
                  r[#r+1] = select(2, pcall(function() assert(nil) end))
                  r[#r+1] = select(2, pcall(assert, nil, "custom"))
                  r[#r+1] = type(select(2, pcall(function() assert(false, {}) end)))
                  r[#r+1] = select("#", assert(1, 2, 3))
                  r[#r+1] = #select(2, pcall(error, "\\xe9", 0))
                  r[#r+1] = #select(2, pcall(function() assert(false, "\\xe9\\xff") end))
                  r[#r+1] = tostring(pcall(debug.traceback, "\\xe9"))
                  r[#r+1] = tostring(pcall(function() return core["\\xe9"] end))
                  return table.concat(r, "|")
                end)
                """, null, 2000, 0);
        assertEquals(List.of(), engine.problems());
        start(engine);
        assertEquals("shared.lua:3: y|shared.lua:4: assertion failed!|custom|table|3|1|16|true|true",
                fetch(engine, "asserts").values().arg1().tojstring());
    }

    /** As in HAProxy (Lua 5.3): calls run in a coroutine of their own, script bodies on the main thread. */
    @Test
    void coroutineRunningNamesAThreadEverywhere() throws Exception {
        LuaEngine engine = engine("""
                local n, main = select('#', coroutine.running()), select(2, coroutine.running())
                local body = n .. tostring(main) .. tostring(coroutine.isyieldable())
                core.register_fetches("where", function()
                  local call, ismain = coroutine.running()
                  local inner = coroutine.wrap(function()
                    local co, m = coroutine.running()
                    return type(co) .. tostring(m) .. tostring(co ~= call) .. tostring(coroutine.isyieldable())
                  end)()
                  return table.concat({ body, type(call), tostring(ismain), tostring(coroutine.isyieldable()),
                    coroutine.status(call), tostring(coroutine.resume(call)), inner }, " ")
                end)
                """, null, 2000, 0);
        assertEquals(List.of(), engine.problems());
        start(engine);
        assertEquals("2truefalse thread false true running false threadfalsetruetrue",
                fetch(engine, "where").values().arg1().tojstring());
    }

    @Test
    void aRunawayLoopIsStoppedAndPcallCannotCatchIt() throws Exception {
        LuaEngine engine = engine("""
                core.register_fetches("spin", function()
                  while true do pcall(function() while true do end end) end
                end)
                core.register_fetches("spin_in_coroutine", function()
                  local co = coroutine.wrap(function() while true do end end)
                  while true do pcall(co) end
                end)
                core.register_fetches("ok", function() return "still fine" end)
                """, null, 200, 0);
        start(engine);
        long started = System.nanoTime();
        LuaCall.Outcome inline = fetch(engine, "spin");
        assertTrue(inline.failed());
        assertTrue(inline.error().contains("execution timeout"), inline.error());
        LuaCall.Outcome yielding = action(engine, "spin");
        assertTrue(yielding.error().contains("execution timeout"), yielding.error());
        LuaCall.Outcome coroutine = action(engine, "spin_in_coroutine");
        assertTrue(coroutine.error().contains("execution timeout"), coroutine.error());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5));
        assertEquals("still fine", fetch(engine, "ok").values().arg1().tojstring());
    }

    @Test
    void aYieldingRunawayLeavesTheLoopFree() throws Exception {
        LuaEngine engine = engine("""
                core.register_fetches("spin", function() while true do end end)
                """, null, 1000, 0);
        start(engine);
        LuaState state = engine.sharedState();
        CompletableFuture<LuaCall.Outcome> done = new CompletableFuture<>();
        loop.execute(() -> new LuaCall(state, "spin", true, engine.settings().sessionTimeoutNanos(), loop)
                .start(state.registrations().fetches.get("spin"), LuaValue.NONE, done::complete));
        long worst = 0;
        for (int i = 0; i < 20 && !done.isDone(); i++) {
            long t = System.nanoTime();
            loop.submit(() -> { }).get(5, TimeUnit.SECONDS);
            worst = Math.max(worst, System.nanoTime() - t);
            Thread.sleep(10);
        }
        assertTrue(worst < TimeUnit.MILLISECONDS.toNanos(300), "the loop answered in " + worst / 1_000_000 + " ms");
        assertTrue(done.get(10, TimeUnit.SECONDS).error().contains("execution timeout"));
    }

    @Test
    void aBacktrackingPatternFailsWithTheCallTimeout() throws Exception {
        LuaEngine engine = engine("""
                core.register_fetches("match", function()
                  return tostring(("a"):rep(1e6):find(".-.-.-.-b"))
                end)
                core.register_fetches("ok", function() return ("a=1"):match("(%w+)=") end)
                """, null, 200, 0);
        start(engine);
        long started = System.nanoTime();
        LuaCall.Outcome inline = fetch(engine, "match");
        assertTrue(inline.failed() && inline.error().contains("execution timeout"), String.valueOf(inline.error()));
        LuaCall.Outcome yielding = action(engine, "match");
        assertTrue(yielding.failed() && yielding.error().contains("execution timeout"), String.valueOf(yielding.error()));
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "the match was stopped");
        assertEquals("a", fetch(engine, "ok").values().arg1().tojstring());
    }

    @Test
    void numbersConcatenateAsLua53WritesThem() throws Exception {
        LuaEngine engine = engine("""
                core.register_fetches("numbers", function()
                  local half, big = 0.5, 2^63
                  local mt = setmetatable({}, {__concat = function(a, b) return type(b) end})
                  local third = 1/3
                  local text = third .. ""
                  -- The rewritten operands are copies: the local is still the number.
                  local kept = tostring(type(third) == "number" and third * 3 == 1)
                  return (1/3) .. "|" .. 1e100 .. "|" .. big .. "|" .. 7 .. "|" .. half .. "|" .. -1.5
                      .. "|" .. 2^40 .. "|" .. (mt .. 1.5) .. "|" .. tostring(1/3) .. "|" .. _VERSION
                      .. "|" .. text .. "|" .. kept
                end)
                """, null, 2000, 0);
        start(engine);
        assertEquals("0.33333333333333|1e+100|9.2233720368548e+18|7|0.5|-1.5|1099511627776|number|0.33333333333333|Lua 5.3"
                + "|0.33333333333333|true",
                fetch(engine, "numbers").values().arg1().tojstring());
    }

    @Test
    void aMemoryBombFailsAtMaxmem() throws Exception {
        LuaEngine engine = engine("""
                core.register_fetches("bomb", function()
                  local t = {}
                  for i = 1, 1e9 do t[i] = "x" .. i end
                end)
                core.register_fetches("ok", function() return 1 end)
                """, null, 60_000, 64L << 20);
        start(engine);
        LuaCall.Outcome bomb = fetch(engine, "bomb");
        assertTrue(bomb.failed());
        assertTrue(bomb.error().contains("not enough memory"), bomb.error());
        assertEquals(1, fetch(engine, "ok").values().arg1().toint());
    }

    @Test
    void sleepsSuspendTheCallAndInterleave() throws Exception {
        LuaEngine engine = engine("""
                trace = {}
                core.register_fetches("a", function() for i = 1, 3 do trace[#trace+1] = "a" .. i; core.msleep(20) end end)
                core.register_fetches("b", function() for i = 1, 3 do trace[#trace+1] = "b" .. i; core.msleep(20) end end)
                core.register_fetches("trace", function() return table.concat(trace, ",") end)
                """, null, 2000, 0);
        start(engine);
        LuaState state = engine.sharedState();
        CompletableFuture<LuaCall.Outcome> a = new CompletableFuture<>();
        CompletableFuture<LuaCall.Outcome> b = new CompletableFuture<>();
        loop.execute(() -> {
            new LuaCall(state, "a", true, 0, loop).start(state.registrations().fetches.get("a"), LuaValue.NONE, a::complete);
            new LuaCall(state, "b", true, 0, loop).start(state.registrations().fetches.get("b"), LuaValue.NONE, b::complete);
        });
        assertFalse(a.get(5, TimeUnit.SECONDS).failed());
        assertFalse(b.get(5, TimeUnit.SECONDS).failed());
        assertEquals("a1,b1,a2,b2,a3,b3", fetch(engine, "trace").values().arg1().tojstring());
    }

    @Test
    void sleepingInAFetchIsAnError() throws Exception {
        LuaEngine engine = engine("core.register_fetches('nap', function() core.msleep(1) end)", null, 2000, 0);
        start(engine);
        LuaCall.Outcome outcome = fetch(engine, "nap");
        assertTrue(outcome.failed());
        assertTrue(outcome.error().contains("cannot yield here"), outcome.error());
    }

    @Test
    void aCallNestedInAYieldableCallReentersTheSharedState() throws Exception {
        LuaEngine engine = engine("""
                core.register_fetches("inner", function() return ("inner"):upper() end)
                core.register_fetches("outer", function()
                  core.msleep(1)
                  return nested() .. "+" .. ("outer"):upper()
                end)
                """, null, 2000, 0);
        start(engine);
        LuaState state = engine.sharedState();
        // As a Lua fetch that an action's txn.f runs: a second call into the state its caller holds.
        state.globals().rawset("nested", new org.luaj.vm2.lib.ZeroArgFunction() {
            @Override
            public LuaValue call() {
                LuaCall inner = new LuaCall(state, "fetch inner", false, 2_000_000_000L, loop);
                LuaCall.Outcome outcome = inner.invoke(state.registrations().fetches.get("inner"), LuaValue.NONE);
                return outcome.failed() ? LuaValue.valueOf(outcome.error()) : outcome.values().arg1();
            }
        });
        // On a loop of its own: were the call to deadlock, that loop stays stuck, not the test's.
        EventLoop own = new DefaultEventLoop();
        LuaCall.Outcome outcome;
        try {
            CompletableFuture<LuaCall.Outcome> done = new CompletableFuture<>();
            own.execute(() -> new LuaCall(state, "action outer", true, 2_000_000_000L, own)
                    .start(state.registrations().fetches.get("outer"), LuaValue.NONE, done::complete));
            outcome = done.get(5, TimeUnit.SECONDS);
        } finally {
            own.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        assertFalse(outcome.failed(), outcome.error());
        assertEquals("INNER+OUTER", outcome.values().arg1().tojstring());
        // The lock was given back: another call gets in.
        assertEquals("INNER", fetch(engine, "inner").values().arg1().tojstring());
    }

    @Test
    void droppedSuspendedCoroutinesAreGarbage() throws Exception {
        LuaEngine engine = engine("""
                core.register_fetches("drop", function()
                  local n = 0
                  for i = 1, 3000 do
                    local co = coroutine.wrap(function()
                      local big = string.rep("x", 1048576)
                      coroutine.yield(#big)
                    end)
                    n = n + co()
                  end
                  return n
                end)
                """, null, 60_000, 0);
        start(engine);
        LuaCall.Outcome dropped = fetch(engine, "drop");
        assertFalse(dropped.failed(), dropped.error());
        assertEquals(3000L << 20, dropped.values().arg1().tolong());
        // 3 GiB if the suspended stacks stayed reachable (with lua.suspension = thread, parked
        // virtual threads unless -Djdk.trackAllThreads=false, as bin/luagate passes).
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5 && used > 512L << 20; i++) {
            System.gc();
            Thread.sleep(50);
            used = runtime.totalMemory() - runtime.freeMemory();
        }
        assertTrue(used < 512L << 20, "heap still used after collection: " + (used >> 20) + " MiB");
    }

    @Test
    void coroutinesRunOnFibersWithoutThreads() throws Exception {
        LuaEngine engine = engine("""
                core.register_fetches("gen", function()
                  local out = {}
                  for round = 1, 200 do
                    local co = coroutine.create(function(a)
                      local b = coroutine.yield(a + 1)
                      error({code = b})
                    end)
                    local ok1, v1 = coroutine.resume(co, 1)
                    local ok2, e = coroutine.resume(co, 7)
                    out[1] = tostring(ok1) .. v1 .. tostring(ok2) .. e.code .. coroutine.status(co)
                  end
                  local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
                  out[2] = gen() + gen() + gen()
                  return out[1] .. "|" .. out[2]
                end)
                """, null, 2000, 0);
        start(engine);
        int threads = Thread.activeCount();
        assertEquals("true2false7dead|6", fetch(engine, "gen").values().arg1().tojstring());
        assertTrue(Thread.activeCount() <= threads + 1, "coroutines started threads");
    }

    @Test
    void errorsCarryTheirLocationAndATraceback() throws Exception {
        LuaEngine engine = engine("""
                local function inner() error("boom") end
                core.register_fetches("fail", function() inner() end)
                core.register_fetches("caught", function() local ok, e = pcall(inner) return e end)
                """, null, 2000, 0);
        start(engine);
        LuaCall.Outcome failed = fetch(engine, "fail");
        assertTrue(failed.error().startsWith("shared.lua:1: boom"), failed.error());
        assertTrue(failed.error().contains("stack traceback:"), failed.error());
        assertEquals("shared.lua:1: boom", fetch(engine, "caught").values().arg1().tojstring());
    }

    @Test
    void registerCliChecksItsArgumentsLikeHaproxy() throws Exception {
        assertEquals(List.of(), engine("core.register_cli({'show', 'colors'}, 'list colors', function() end)",
                null, 2000, 0).problems());
        String tooMany = engine("core.register_cli({'a','b','c','d','e','f'}, 'x', function() end)", null, 2000, 0)
                .problems().get(0);
        assertTrue(tooMany.contains("register_cli: 1 to 5 keywords expected, got 6"), tooMany);
        String noFunction = engine("core.register_cli({'show'}, 'x', 42)", null, 2000, 0).problems().get(0);
        assertTrue(noFunction.contains("function expected"), noFunction);
    }

    @Test
    void syntaxErrorsAndNameClashesAreProblems() throws Exception {
        String syntax = engine("core.register_fetches('x', function() end", null, 2000, 0).problems().get(0);
        assertTrue(syntax.startsWith("shared.lua:1:"), syntax);
        List<String> clash = engine("core.register_fetches('x', function() end)",
                "core.register_fetches('x', function() end)", 2000, 0).problems();
        assertEquals(1, clash.size(), clash.toString());
        assertTrue(clash.get(0).contains("both"), clash.get(0));
    }

    @Test
    void runtimeGlobalWritesAreNoticedOnce() throws Exception {
        LuaEngine engine = engine("""
                counter = 0
                core.register_fetches("count", function() counter = counter + 1; leaked = counter; return counter end)
                """, null, 2000, 0);
        start(engine);
        assertEquals(1, fetch(engine, "count").values().arg1().toint());
        assertEquals(2, fetch(engine, "count").values().arg1().toint());
        GlobalWrites writes = engine.sharedState().globalWrites;
        assertNotNull(writes);
        assertEquals(Set.of("counter", "leaked"), writes.warned());
    }

    /** rawset(_G, k, v) is the same run-time global write as _G.k = v, even through a copy kept from the script body. */
    @Test
    void rawsetOnTheGlobalsIsNoticedToo() throws Exception {
        LuaEngine engine = engine("""
                local keep = rawset
                core.register_fetches("raw", function()
                  rawset(_G, "stash", "a")
                  keep(_G, "kept", "b")
                  rawset({}, "local_table", 1)
                  return stash .. kept
                end)
                """, null, 2000, 0);
        start(engine);
        assertEquals("ab", fetch(engine, "raw").values().arg1().tojstring());
        assertEquals(Set.of("stash", "kept"), engine.sharedState().globalWrites.warned());
    }
}
