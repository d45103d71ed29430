package io.luagate.plugin.lua.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

/** The io library at init and at run time: Lua 5.3's results, file work off the event loop, the policy. */
class IoLibraryTest {

    @TempDir
    Path home;

    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() throws Exception {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private LuaEngine engine(String script, boolean runtimeIo) throws Exception {
        Files.writeString(home.resolve("shared.lua"), script);
        LuaSettings settings = new LuaSettings(List.of("shared.lua"), List.of(), List.of(), 10_000, 2_000_000_000L,
                2_000_000_000L, 0, 0, 0, runtimeIo);
        LuaEngine engine = new LuaEngine(settings, home, new NoPatterns(), new NoSamples(), 1);
        assertEquals(List.of(), engine.problems());
        engine.start(TestRuntime.of(loop));
        return engine;
    }

    /** Runs registered function {@code name} as an action runs: a yieldable call on the loop. */
    private LuaCall.Outcome action(LuaEngine engine, String name, String arg) throws Exception {
        LuaState state = engine.sharedState();
        CompletableFuture<LuaCall.Outcome> done = new CompletableFuture<>();
        loop.execute(() -> new LuaCall(state, name, true, engine.settings().sessionTimeoutNanos(), loop)
                .start(state.registrations().fetches.get(name), LuaValue.valueOf(arg), done::complete));
        return done.get(10, TimeUnit.SECONDS);
    }

    /** Runs {@code name} as a fetch runs: inline, unable to yield. */
    private LuaCall.Outcome fetch(LuaEngine engine, String name, String arg) throws Exception {
        LuaState state = engine.sharedState();
        return loop.submit(() -> new LuaCall(state, name, false, 0, loop)
                .invoke(state.registrations().fetches.get(name), LuaValue.valueOf(arg))).get(10, TimeUnit.SECONDS);
    }

    /** The script's lines, and what lua5.3 (5.3.6) prints for the same script (error positions left out). */
    private static final String SCRIPT = """
            core.register_fetches("files", function(path)
              local out = {}
              local function add(...)
                local t = table.pack(...)
                for i = 1, t.n do t[i] = tostring(t[i]):gsub("^[^:]*:%d+: ", "") end
                out[#out + 1] = table.concat(t, ",")
              end
              local f = assert(io.open(path, "w"))
              add(io.type(f), f:write("line one\\n", "12.5 0x1F rest\\n", "last") == f)
              add(f:close())
              add(io.type(f))
              add(pcall(function() return f:read() end))
              f = assert(io.open(path, "r"))
              add(f:read("l"))
              add(f:read("n", "n"))
              add(f:read("L"))
              add(f:read(2), f:read("a"))
              add(f:read("a"), f:read("l"), f:read(0))
              add(f:seek("set", 5), f:read(3), f:seek(), f:seek("end"))
              add(pcall(function() return f:seek("bad") end))
              add(pcall(function() return f:read("x") end))
              f:close()
              local n = 0
              for l in io.lines(path) do n = n + 1 end
              add(n)
              for a, b in io.lines(path, 4, 1) do add(a, b) break end
              add(io.open(path .. ".missing"))
              add(pcall(io.lines, path .. ".missing"))
              add(pcall(function() return io.open(path, "rw") end))
              local a = assert(io.open(path, "a+"))
              a:write("!")
              a:seek("set", 0)
              add(a:read("a"))
              a:close()
              add(package.loaded.io == io, require("io") == io)
              return table.concat(out, "\\n")
            end)
            """;

    private static String expected(Path file) {
        return String.join("\n",
                "file,true",
                "true",
                "closed file",
                "false,attempt to use a closed file",
                "line one",
                "12.5,31",
                " rest",
                "",
                "la,st",
                ",nil,nil",
                "5,one,8,28",
                "false,bad argument #1 to 'seek' (invalid option 'bad')",
                "false,bad argument #1 to 'read' (invalid format)",
                "3",
                "line, ",
                "nil," + file + ".missing: No such file or directory,2",
                "false,cannot open file '" + file + ".missing' (No such file or directory)",
                "false,bad argument #2 to 'open' (invalid mode)",
                "line one\n12.5 0x1F rest\nlast!",
                "true,true");
    }

    @Test
    void anActionReadsAndWritesFilesAsLua53Does() throws Exception {
        LuaEngine engine = engine(SCRIPT, true);
        Path file = home.resolve("data.txt");
        LuaCall.Outcome outcome = action(engine, "files", file.toString());
        assertNull(outcome.error());
        assertEquals(expected(file), outcome.values().arg1().tojstring());
    }

    @Test
    void initCodeUsesTheSameLibraryAtOnce() throws Exception {
        Path file = home.resolve("init.txt");
        Files.writeString(file, "from init\n");
        LuaEngine engine = engine("""
                local f = assert(io.open("%s"))
                local line = f:read("l")
                f:close()
                core.register_fetches("line", function() return line end)
                """.formatted(file), true);
        assertEquals("from init", fetch(engine, "line", "").values().arg1().tojstring());
    }

    /**
     * A FIFO's open blocks until a writer comes: if the work ran on the event loop, the loop could
     * not run anything else meanwhile. It does, and the action finishes once the writer writes.
     */
    @Test
    void fileWorkWaitsOffTheEventLoop() throws Exception {
        Path fifo = home.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        LuaEngine engine = engine("""
                core.register_fetches("fifo", function(path)
                  local f = assert(io.open(path))
                  local line = f:read("l")
                  f:close()
                  return line
                end)
                """, true);
        LuaState state = engine.sharedState();
        CompletableFuture<LuaCall.Outcome> done = new CompletableFuture<>();
        loop.execute(() -> new LuaCall(state, "fifo", true, 0, loop)
                .start(state.registrations().fetches.get("fifo"), LuaValue.valueOf(fifo.toString()), done::complete));
        for (int i = 0; i < 5; i++) {
            assertEquals("free", loop.submit(() -> "free").get(2, TimeUnit.SECONDS));
            assertFalse(done.isDone());
            Thread.sleep(20);
        }
        Files.writeString(fifo, "through the fifo\n");
        LuaCall.Outcome outcome = done.get(10, TimeUnit.SECONDS);
        assertNull(outcome.error());
        assertEquals("through the fifo", outcome.values().arg1().tojstring());
    }

    @Test
    void aFetchCannotWaitForAFile() throws Exception {
        LuaEngine engine = engine("""
                core.register_fetches("open", function(path)
                  local ok, err = pcall(io.open, path)
                  local ok2, err2 = pcall(io.write, "")
                  return tostring(ok) .. "|" .. tostring(err) .. "|" .. tostring(ok2)
                end)
                """, true);
        String result = fetch(engine, "open", home.resolve("x").toString()).values().arg1().tojstring();
        assertTrue(result.startsWith("false|io.open cannot run in a fetch or converter"), result);
        assertTrue(result.endsWith("|true"), "writing to the standard output never waits: " + result);
    }

    @Test
    void runtimeIoFalseRefusesFilesAfterInit() throws Exception {
        Path file = home.resolve("f.txt");
        Files.writeString(file, "x");
        LuaEngine engine = engine("""
                local at_init = io.open("%s"):read("a")
                core.register_fetches("open", function(path)
                  local ok, err = pcall(io.open, path)
                  return at_init .. "|" .. tostring(ok) .. "|" .. tostring(err)
                end)
                """.formatted(file), false);
        String result = action(engine, "open", file.toString()).values().arg1().tojstring();
        assertEquals("x|false|io.open is not allowed at run time (lua.runtime-io = false)", result);
    }

    @Test
    void printWorksEverywhereAndChecksTostring() throws Exception {
        LuaEngine engine = engine("""
                core.register_fetches("print", function()
                  local r = table.pack(print("from a fetch", 1, nil, true))
                  local ok, err = pcall(print, setmetatable({}, { __tostring = function() return {} end }))
                  return r.n .. "|" .. tostring(ok) .. "|" .. tostring(err)
                end)
                """, false);
        String result = fetch(engine, "print", "").values().arg1().tojstring();
        assertEquals("0|false|'__tostring' must return a string", result);
    }

    @Test
    void popenIsRefusedAtRunTime() throws Exception {
        LuaEngine engine = engine("""
                local p = io.popen("echo init")
                local at_init = p:read("l")
                p:close()
                core.register_fetches("run", function()
                  local ok, err = pcall(io.popen, "echo x")
                  return at_init .. "|" .. tostring(ok) .. "|" .. tostring(err)
                end)
                """, true);
        String result = action(engine, "run", "").values().arg1().tojstring();
        assertTrue(result.startsWith("init|false|io.popen is not allowed at run time"), result);
    }

    /** A file without end is read up to the cap on one string, then fails the call; the worker goes on. */
    @Test
    void readingAFileWithoutEndFailsTheReadNotTheHeap() throws Exception {
        LuaEngine engine = engine("""
                core.register_fetches("endless", function(how)
                  local f = assert(io.open("/dev/zero", "rb"))
                  local ok, err = pcall(function() return how == "line" and f:read("l") or f:read("a") end)
                  f:close()
                  return tostring(ok) .. "|" .. tostring(err)
                end)
                """, true);
        for (String how : new String[] {"all", "line"}) {
            String result = action(engine, "endless", how).values().arg1().tojstring();
            assertEquals("false|not enough memory (one read may not return more than 64 MiB)", result.replaceAll("\\|.*: not", "|not"));
        }
    }
}
