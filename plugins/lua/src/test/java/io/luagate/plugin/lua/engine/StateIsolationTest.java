package io.luagate.plugin.lua.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Lua states are separate VMs in HAProxy: what one state's scripts do to the string metatable, the
 * string library or an API class must not reach another state (issue 10 §4: one per-thread state
 * replaced the JVM-wide string {@code __index} and read the strings of the others).
 */
class StateIsolationTest {

    @TempDir
    Path home;

    private final EventLoop loop1 = new DefaultEventLoop();
    private final EventLoop loop2 = new DefaultEventLoop();

    @AfterEach
    void stop() throws Exception {
        loop1.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        loop2.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private static final String VICTIM = """
            core.register_fetches("victim", function(secret)
              local b = core.concat()
              b:add("x-secret: ")
              b:add(secret)
              return table.concat({b:dump(), secret:upper(), ("a,b"):match("^(%w+),"),
                tostring(getmetatable("").__index == string), tostring(getmetatable(b).__index.add ~= nil)}, "|")
            end)
            """;

    private static final String ATTACKER = """
            stolen = {}
            core.register_fetches("attack", function()
              local meta = getmetatable("")
              local strings = meta.__index
              meta.__index = function(s, k)
                stolen[#stolen + 1] = s
                if k == "upper" then return function() while true do end end end
                return strings[k]
              end
              string.match = function() return "pwned" end
              local class = getmetatable(core.concat())
              class.__index.add = function(self, s) stolen[#stolen + 1] = s end
              class.__index.dump = function() return "pwned" end
              return "done"
            end)
            core.register_fetches("loot", function()
              local n = ("own"):len() -- goes through this state's own replaced __index
              return table.concat(stolen, ",")
            end)
            """;

    private LuaEngine engine() throws IOException {
        Files.writeString(home.resolve("shared.lua"), VICTIM);
        Files.writeString(home.resolve("thread.lua"), ATTACKER + VICTIM.replace("\"victim\"", "\"victim_local\""));
        LuaSettings settings = new LuaSettings(List.of("shared.lua"), List.of("thread.lua"), List.of(), 10_000,
                2_000_000_000L, 2_000_000_000L, 0, 0, 0);
        LuaEngine engine = new LuaEngine(settings, home, new NoPatterns(), new NoSamples(), 2);
        assertEquals(List.of(), engine.problems());
        engine.start(new TestRuntime(List.of(loop1, loop2), Map.of(), Map.of()));
        return engine;
    }

    private static LuaCall.Outcome call(LuaState state, EventLoop loop, String name, Varargs args) throws Exception {
        return loop.submit(() -> new LuaCall(state, name, false, 2_000_000_000L, loop)
                .invoke(state.registrations().fetches.get(name), args)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aStateThatTampersWithStringsAndClassesHarmsNoOtherState() throws Exception {
        LuaEngine engine = engine();
        LuaState attacker = engine.perThreadState(loop1);
        LuaState neighbour = engine.perThreadState(loop2);
        assertEquals("done", call(attacker, loop1, "attack", LuaValue.NONE).values().arg1().tojstring());

        String expected = "x-secret: s3cr3t|S3CR3T|a|true|true";
        LuaValue secret = LuaValue.valueOf("s3cr3t");
        for (EventLoop loop : List.of(loop1, loop2)) {
            LuaCall.Outcome shared = call(engine.sharedState(), loop, "victim", secret);
            assertFalse(shared.failed(), shared.error());
            assertEquals(expected, shared.values().arg1().tojstring());
        }
        LuaCall.Outcome other = call(neighbour, loop2, "victim_local", secret);
        assertFalse(other.failed(), other.error());
        assertEquals(expected, other.values().arg1().tojstring());

        // The attacker's changes hold in its own state, as in Lua, and saw only its own strings.
        String loot = call(attacker, loop1, "loot", LuaValue.NONE).values().arg1().tojstring();
        assertFalse(loot.contains("s3cr3t"), loot);
        assertTrue(loot.contains("own"), loot);
        LuaCall.Outcome own = call(attacker, loop1, "victim_local", secret);
        assertTrue(own.failed() || own.values().arg1().tojstring().contains("pwned"), String.valueOf(own.values()));
    }

    /** A static Lua table in the plugin would be shared by every state of the JVM. */
    @Test
    void noStaticFieldHoldsATable() throws Exception {
        Path classes = Path.of(LuaEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> shared = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes.resolve("io/luagate/plugin/lua"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, true, LuaEngine.class.getClassLoader());
                for (Field field : type.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers()) || field.isSynthetic()) {
                        continue;
                    }
                    if (field.getType().getSimpleName().equals("LuaClass")) {
                        shared.add(name + "." + field.getName());
                    } else if (LuaValue.class.isAssignableFrom(field.getType())) {
                        field.setAccessible(true);
                        Object value = field.get(null);
                        if (value instanceof LuaTable && !(value instanceof StringMetatable)) {
                            shared.add(name + "." + field.getName());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), shared);
    }
}
