package io.luagate.plugin.lua.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.plugin.lua.engine.LuaEngine;
import io.luagate.plugin.lua.engine.LuaSettings;
import io.luagate.plugin.lua.engine.LuaState;
import io.luagate.plugin.lua.engine.NoPatterns;
import io.luagate.plugin.lua.engine.NoSamples;
import io.luagate.plugin.lua.engine.TestRuntime;
import io.luagate.spi.rule.Transaction;
import io.netty.channel.EventLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * A real {@link LuaEngine} over one script ({@code lua.load}), started on a real event loop, and
 * its registered fetches called inline on that loop, as luagate calls them.
 */
final class ScriptRunner {

    private final LuaEngine engine;
    private final EventLoop loop;

    ScriptRunner(Path dir, EventLoop loop, String script) throws Exception {
        this.loop = loop;
        Files.writeString(dir.resolve("shared.lua"), script);
        LuaSettings settings = new LuaSettings(List.of("shared.lua"), List.of(), List.of(), 10_000,
                2_000_000_000L, 2_000_000_000L, 0, 0, 0);
        engine = new LuaEngine(settings, dir, new NoPatterns(), new NoSamples(), 1);
        assertEquals(List.of(), engine.problems(), "the script loads");
        engine.start(TestRuntime.of(loop));
    }

    /** Calls fetch {@code name} with {@code txn} (a TXN object when not null, else nil) and {@code args}. */
    LuaCall.Outcome call(String name, Transaction txn, LuaValue... args) throws Exception {
        LuaState state = engine.sharedState();
        LuaValue function = state.registrations().fetches.get(name);
        assertNotNull(function, "fetch " + name + " is registered");
        return loop.submit(() -> {
            LuaCall call = new LuaCall(state, name, false, engine.settings().sessionTimeoutNanos(), loop).serving(txn);
            LuaValue self = txn == null ? LuaValue.NIL
                    : ((LuaApi) state.api()).txn(new TxnContext(state, txn, false, call));
            return call.invoke(function, LuaValue.varargsOf(self, LuaValue.varargsOf(args)));
        }).get(30, TimeUnit.SECONDS);
    }

    /** The results of a call that must succeed. */
    Varargs values(String name, LuaValue... args) throws Exception {
        LuaCall.Outcome outcome = call(name, null, args);
        assertNull(outcome.error(), () -> name + " failed: " + outcome.error());
        return outcome.values();
    }

    /** The error of a call that must fail. */
    String error(String name, LuaValue... args) throws Exception {
        LuaCall.Outcome outcome = call(name, null, args);
        assertNotNull(outcome.error(), () -> name + " should have failed but returned " + outcome.values());
        return outcome.error();
    }

    void stop() {
        engine.stop();
    }
}
