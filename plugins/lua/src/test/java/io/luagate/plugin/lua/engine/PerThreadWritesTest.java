package io.luagate.plugin.lua.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start warning for per-thread scripts that keep state between calls, on the shipped examples and on each kind of write. */
class PerThreadWritesTest {

    /** The repository's conf/lua, from the module's folder (where the tests run). */
    private static final Path EXAMPLES = Path.of("../../conf/lua");

    @TempDir
    Path home;

    private LuaEngine engine(List<String> load, List<String> perThread) {
        return new LuaEngine(new LuaSettings(load, perThread, List.of(), 10_000, 1_000_000_000L, 1_000_000_000L, 0,
                1_000_000_000L, 0), home, new NoPatterns(), new NoSamples(), 2);
    }

    private List<String> perThread(String script) throws Exception {
        Files.writeString(home.resolve("thread.lua"), script);
        LuaEngine engine = engine(List.of(), List.of("thread.lua"));
        assertEquals(List.of(), engine.problems());
        return engine.warnings();
    }

    private Path example(String name) throws Exception {
        Path to = home.resolve("conf/lua").resolve(name);
        Files.createDirectories(to.getParent());
        Files.copy(EXAMPLES.resolve(name), to);
        return to;
    }

    @Test
    void blueGreenPerThreadIsWarnedAboutItsLiveColour() throws Exception {
        Path script = example("blue-green.lua");
        List<String> warnings = engine(List.of(), List.of("conf/lua/blue-green.lua")).warnings();
        int line = Files.readAllLines(script).indexOf("    live = wanted") + 1;
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("lua: conf/lua/blue-green.lua:" + line + ": service 'flip' writes upvalue 'live'"),
                warnings.get(0));
        assertTrue(warnings.get(0).contains("lua.load if the state must be shared"), warnings.get(0));
        // As shipped (lua.load, one shared state) it is right, and says nothing.
        assertEquals(List.of(), engine(List.of("conf/lua/blue-green.lua"), List.of()).warnings());
    }

    @Test
    void theShippedPerThreadExampleIsNotWarned() throws Exception {
        example("canary.lua");
        LuaEngine engine = engine(List.of(), List.of("conf/lua/canary.lua"));
        assertEquals(List.of(), engine.problems());
        assertEquals(List.of(), engine.warnings());
    }

    @Test
    void eachKindOfWriteIsNamedWithItsLine() throws Exception {
        List<String> warnings = perThread("""
                local hits = 0
                local cache = {}
                local seen = {}
                core.register_fetches("count", function(txn)
                  hits = hits + 1
                  return hits
                end)
                core.register_converters("memo", function(s)
                  cache[s] = string.upper(s)
                  return cache[s]
                end)
                core.register_action("mark", { "http-req" }, function(txn)
                  last_path = "x"
                  seen.last = 1
                end)
                core.register_task(function()
                  local function bump() hits = hits + 1 end
                  bump()
                end)
                """);
        assertEquals(5, warnings.size(), String.join("\n", warnings));
        assertTrue(warnings.get(0).startsWith("lua: thread.lua:5: fetch 'count' writes upvalue 'hits'"), warnings.get(0));
        assertTrue(warnings.get(1).startsWith("lua: thread.lua:9: converter 'memo' writes into the table in upvalue 'cache'"),
                warnings.get(1));
        assertTrue(warnings.get(2).startsWith("lua: thread.lua:13: action 'mark' writes global 'last_path'"), warnings.get(2));
        assertTrue(warnings.get(3).startsWith("lua: thread.lua:14: action 'mark' writes into the table in upvalue 'seen'"),
                warnings.get(3));
        assertTrue(warnings.get(4).startsWith("lua: thread.lua:17: a task writes upvalue 'hits'"), warnings.get(4));
    }

    @Test
    void stateOfOneCallOrOfInitIsNotWarned() throws Exception {
        assertEquals(List.of(), perThread("""
                local limits = {}
                local greeting = "hello"
                core.register_init(function()
                  limits.max = 10
                  greeting = "hi"
                end)
                core.register_fetches("f", function(txn)
                  local n = 0
                  local t = {}
                  local function add() n = n + 1; t.x = n end
                  add()
                  t[greeting] = limits.max
                  return n
                end)
                local Trace = {}
                Trace.id = "trace"
                Trace.__index = Trace
                function Trace:new()
                  local f = setmetatable({}, Trace)
                  f.bytes = 0
                  return f
                end
                function Trace:http_headers(txn, msg)
                  self.bytes = self.bytes + 1
                end
                core.register_filter("trace", Trace, function(filter, args)
                  filter.args = args
                  return filter
                end)
                """));
    }
}
