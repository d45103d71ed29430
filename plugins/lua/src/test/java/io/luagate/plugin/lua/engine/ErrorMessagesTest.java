package io.luagate.plugin.lua.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.luaj.vm2.LuaValue;

/**
 * Syntax and run-time errors worded as Lua 5.3 words them: each faulty script runs under the real
 * {@code lua5.3} and under luagate's engine, and the two first lines must be equal. Skipped where
 * lua5.3 is not installed (Debian: {@code apt-get install lua5.3}).
 */
class ErrorMessagesTest {

    private static final Path LUA53 = Path.of("/usr/bin/lua5.3");
    /** What lua5.3 runs first: the globals the scripts use from HAProxy's API. */
    private static final String CORE = "core = {register_action = function() end, Info = function() end}";

    /** Scripts that Lua 5.3 refuses to compile. */
    private static final List<String> SYNTAX = List.of(
            "local x = 1\nend\n",
            "local x\nx y\n",
            "local s = \"abc\nprint(s)\n",
            "\nfunction f()\n  return 1\n",
            "x = = 1\n",
            "for i = 1 do end\n",
            "if x then\n",
            "local t = {1, 2\n",
            "x = 1 +\n",
            "x = 1 +",
            "print(\"a\" \"b\")\n",
            "local function() end\n",
            "goto nowhere\n",
            "x = [[abc\n",
            "--[[ unclosed\n",
            "x = 3..4\n",
            "x = '\\q'\n",
            "break\n",
            "local 1 = 2\n",
            "f(\n",
            "return return\n",
            "x = }\n",
            "a.b:c = 1\n",
            "while true do\n",
            "repeat x = 1\n",
            "x = \"a\\300\"\n",
            "x = \"\\xZZ\"\n",
            "x = [==[ a ]=]\n",
            "x = 'abc",
            "local t = {a = 1, b}\nt.c d\n",
            "core.register_action('a', {'http-req'}, function(txn)\n  if txn then\n    return\n  end\nend end\n",
            "local x = 1\nlocal y = x x\n",
            "function f(a, b\n  return a\nend\n",
            "x = 1e\n",
            "x = @\n",
            "local s = 'a' .. \n");

    /** Scripts that fail when they run. */
    private static final List<String> RUNTIME = List.of(
            "core.regster_action('a', {'http-req'}, function() end)\n",
            "x()\n",
            "local x\nx()\n",
            "local t = {}\nt:m()\n",
            "local u\nlocal function f() u() end\nf()\n",
            "local t = {}\nlocal y = t.a.b\n",
            "local y = x.a\n",
            "local y = x + 1\n",
            "local x\nlocal y = \"a\" .. x\n",
            "local y = 1 < nil\n",
            "local y = {} < {}\n",
            "local y = \"a\" < 1\n",
            "local y = #x\n",
            "local y = -x\n",
            "local t = {}\nt.x.y = 1\n",
            "x.y = 1\n",
            "local s = \"a\" + 1\n",
            "local y = 2 ^ {}\n",
            "local y = nil .. \"a\"\n",
            "for i = \"a\", 2 do end\n",
            "for i = 1, nil do end\n",
            "for i = 1, 2, {} do end\n",
            "for k in nil do end\n",
            "local t = setmetatable({}, {__index = function(t, k) return nil end})\nt.a.b()\n",
            "local u = {}\nlocal function f() return u.x.y end\nf()\n",
            "local u\nlocal function f() return u.y end\nf()\n",
            "local t = {}\nt[nil] = 1\n",
            "local y = 1 % nil\n",
            "local y = ('x'):bad()\n",
            "local a = {}\nlocal y = a.b .. 'x'\n",
            "local y = 1 <= '2'\n",
            "local y = 1 + true\n",
            "local t = {}\nt.f = 1\nt.f()\n",
            "local a, b = 'x', {}\nlocal y = a .. b .. 'z'\n",
            "local t = {}\nlocal y = t.n * 2\n",
            "local s = 'x'\nlocal y = s.y.z\n",
            "core.Info(nil .. 'x')\n",
            "local function f(t) return t.name end\nf()\n",
            "local u = 1\nlocal function f() return u() end\nf()\n",
            "local t = {}\nlocal y = t.a < 2\n",
            "local y = 'abc' + 0\n",
            "string.nope()\n",
            "local y = #nil\n",
            "local s = ''\nlocal n = s:len() .. nil\n",
            "local t = setmetatable({}, {__name = 'My.Type'})\nlocal y = t + 1\n",
            "local function f(t) return t.go() end\nf({})\n",
            "local function f() return missing(1) end\nreturn f()\n",
            "table.sort({3, 2, 1}, 5)\n",
            "local t = setmetatable({}, {__index = 5})\nlocal y = t.x\n",
            "setmetatable(1, {})\n",
            "string.rep()\n",
            "local s = ('x'):rep({})\n",
            "math.floor('a')\n",
            "string.format('%d', 'x')\n",
            "local y = select('x')\n",
            "rawget(nil, 1)\n",
            "local y = ('x'):rep()\n",
            "ipairs()\n",
            "pairs()\n",
            "local s = 'x'\nlocal y = s:sub({})\n",
            "local t = setmetatable({}, {__index = {}})\nlocal y = t.a.b\n",
            "string.upper()\n",
            "table.concat({}, 1, 2, 3, 4)\n",
            "table.insert(nil, 1)\n",
            "local u = ('x'):upper(1):nope()\n",
            "local f, e = load('x = = 1')\nerror(e, 0)\n",
            "local f, e = load('return 1 +', '=probe')\nerror(e, 0)\n",
            "load('local t = nil\\nreturn t.x', '=probe')()\n",
            "load('y = #z')()\n",
            "error('boom')\n",
            "error('boom', 0)\n",
            "assert(false, 'no')\n",
            "assert(nil)\n");

    @TempDir
    Path home;

    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() throws Exception {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @TestFactory
    Stream<DynamicTest> syntaxErrorsAtLoad() {
        return compare(SYNTAX);
    }

    @TestFactory
    Stream<DynamicTest> runtimeErrorsAtLoad() {
        return compare(RUNTIME);
    }

    private Stream<DynamicTest> compare(List<String> scripts) {
        return scripts.stream().map(script -> DynamicTest.dynamicTest(script.replace("\n", "\\n"), () -> {
            Assumptions.assumeTrue(Files.isExecutable(LUA53), "lua5.3 is not installed");
            Path dir = Files.createTempDirectory(home, "case");
            Files.writeString(dir.resolve("snippet.lua"), script);
            String expected = lua53(dir);
            LuaEngine engine = new LuaEngine(new LuaSettings(List.of("snippet.lua"), List.of(), List.of(), 10_000,
                    1_000_000_000L, 1_000_000_000L, 0, 1_000_000_000L, 0), dir, new NoPatterns(), new NoSamples(), 1);
            assertFalse(engine.problems().isEmpty(), "luagate accepted what lua5.3 refused with " + expected);
            assertEquals(expected, engine.problems().get(0).lines().findFirst().orElse(""));
        }));
    }

    /** The first line lua5.3 prints on stderr for {@code snippet.lua}, without its "lua5.3: " prefix. */
    private static String lua53(Path dir) throws IOException, InterruptedException {
        Process lua = new ProcessBuilder(LUA53.toString(), "-e", CORE, "snippet.lua").directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(lua.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(lua.waitFor(10, TimeUnit.SECONDS));
        assertTrue(lua.exitValue() != 0, "lua5.3 ran the script without an error: " + out);
        return out.lines().findFirst().orElse("").replaceFirst("^\\S*lua5\\.3: ", "");
    }

    /**
     * The same wording for errors raised in a call, in the shared state and in a per-thread one,
     * whichever way calls suspend: the message comes from the frame the error hook runs in.
     */
    @ParameterizedTest
    @EnumSource(value = SuspensionMode.class, names = {"AUTO", "THREAD"})
    void callsInEitherStateAndSuspensionSayTheSame(SuspensionMode suspension) throws Exception {
        String script = """
                local cache = {}
                core.register_fetches("f", function(which)
                  if which == "call" then return cache.lookup(which) end
                  if which == "index" then return cache.entry.value end
                  if which == "arith" then return counter + 1 end
                  local name
                  return "x" .. name
                end)
                """;
        Files.writeString(home.resolve("shared.lua"), script);
        Files.writeString(home.resolve("thread.lua"), script.replace("\"f\"", "\"g\""));
        LuaEngine engine = new LuaEngine(new LuaSettings(List.of("shared.lua"), List.of("thread.lua"), List.of(), 10_000,
                1_000_000_000L, 1_000_000_000L, 0, 1_000_000_000L, 0, true, 0, suspension), home, new NoPatterns(),
                new NoSamples(), 1);
        assertEquals(List.of(), engine.problems());
        engine.start(TestRuntime.of(loop));
        for (String fetch : List.of("f", "g")) {
            String file = fetch.equals("f") ? "shared.lua" : "thread.lua";
            assertEquals(file + ":3: attempt to call a nil value (field 'lookup')", error(engine, fetch, "call"));
            assertEquals(file + ":4: attempt to index a nil value (field 'entry')", error(engine, fetch, "index"));
            assertEquals(file + ":5: attempt to perform arithmetic on a nil value (global 'counter')",
                    error(engine, fetch, "arith"));
            assertEquals(file + ":7: attempt to concatenate a nil value (local 'name')", error(engine, fetch, "concat"));
        }
    }

    private String error(LuaEngine engine, String name, String arg) throws Exception {
        LuaState state = name.equals("f") ? engine.sharedState() : engine.perThreadState(loop);
        LuaCall.Outcome outcome = loop.submit(() -> new LuaCall(state, name, false, 1_000_000_000L, loop)
                .invoke(state.registrations().fetches.get(name), LuaValue.valueOf(arg))).get(10, TimeUnit.SECONDS);
        assertTrue(outcome.failed(), name + "(" + arg + ") did not fail");
        assertTrue(outcome.error().contains("stack traceback:"), outcome.error());
        return outcome.error().lines().findFirst().orElse("");
    }
}
