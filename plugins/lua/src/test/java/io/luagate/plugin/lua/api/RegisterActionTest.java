package io.luagate.plugin.lua.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.plugin.lua.engine.LuaEngine;
import io.luagate.plugin.lua.engine.LuaSettings;
import io.luagate.plugin.lua.engine.NoPatterns;
import io.luagate.plugin.lua.engine.NoSamples;
import io.luagate.plugin.lua.engine.Registrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code core.register_action} keeps one action per name and environment, as HAProxy 2.6.12 does. */
class RegisterActionTest {

    @TempDir
    Path home;

    private LuaEngine load(String script) throws Exception {
        Files.writeString(home.resolve("shared.lua"), script);
        LuaSettings settings = new LuaSettings(List.of("shared.lua"), List.of(), List.of(), 10_000,
                2_000_000_000L, 2_000_000_000L, 0, 0, 0);
        return new LuaEngine(settings, home, new NoPatterns(), new NoSamples(), 1);
    }

    @Test
    void oneNamePerEnvironmentFirstRegistrationWins() throws Exception {
        LuaEngine engine = load("""
                core.register_action("cors", { "http-req" }, function(txn, a, b, c) return "req" end, 3)
                core.register_action("cors", { "http-res" }, function(txn) return "res" end, 0)
                core.register_action("cors", { "http-req", "tcp-req" }, function(txn) return "late" end, 1)
                """);
        assertEquals(List.of(), engine.problems());
        Map<String, Registrations.ActionEntry> cors = engine.sharedState().registrations().actions.get("cors");
        assertEquals(List.of("http-req", "http-res", "tcp-req"), List.copyOf(cors.keySet()));
        assertEquals(3, cors.get("http-req").arguments());
        assertEquals("req", cors.get("http-req").function().call().tojstring());
        assertEquals(0, cors.get("http-res").arguments());
        assertEquals("res", cors.get("http-res").function().call().tojstring());
        assertEquals(1, cors.get("tcp-req").arguments());
        engine.stop();
    }

    @Test
    void unknownEnvironmentIsHaproxysError() throws Exception {
        LuaEngine engine = load("""
                core.register_action("x", { "http-after-res" }, function(txn) end)
                """);
        assertEquals(1, engine.problems().size(), engine.problems().toString());
        assertTrue(engine.problems().get(0).contains("Lua action environment 'http-after-res' is unknown. "
                + "'tcp-req', 'tcp-res', 'http-req' or 'http-res' are expected."), engine.problems().toString());
        engine.stop();
    }
}
