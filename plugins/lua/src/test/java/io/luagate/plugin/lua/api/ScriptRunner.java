package io.luagate.plugin.lua.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.plugin.lua.engine.LuaEngine;
import io.luagate.plugin.lua.engine.LuaSettings;
import io.luagate.plugin.lua.engine.LuaState;
import io.luagate.plugin.lua.engine.TestRuntime;
import io.luagate.spi.pattern.MatchTable;
import io.luagate.spi.pattern.PatternFiles;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.Converter;
import io.luagate.spi.sample.Fetch;
import io.luagate.spi.sample.SampleLibrary;
import io.netty.channel.EventLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
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
            LuaCall call = new LuaCall(state, name, false, engine.settings().sessionTimeoutNanos(), loop);
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

    private static final class NoSamples implements SampleLibrary {
        @Override
        public Fetch fetch(String keyword, List<String> args) {
            throw new IllegalArgumentException("unknown fetch " + keyword);
        }

        @Override
        public Converter converter(String keyword, List<String> args) {
            throw new IllegalArgumentException("unknown converter " + keyword);
        }

        @Override
        public Set<String> fetchKeywords() {
            return Set.of();
        }

        @Override
        public Set<String> converterKeywords() {
            return Set.of();
        }
    }

    private static final class NoPatterns implements PatternFiles {
        @Override
        public MatchTable map(String file, String method) {
            throw new IllegalArgumentException("no maps here");
        }

        @Override
        public void setMap(String file, String key, String value) {
            throw new IllegalArgumentException("no maps here");
        }

        @Override
        public void delMap(String file, String key) {
            throw new IllegalArgumentException("no maps here");
        }

        @Override
        public void addAcl(String file, String pattern) {
            throw new IllegalArgumentException("no acls here");
        }

        @Override
        public void delAcl(String file, String pattern) {
            throw new IllegalArgumentException("no acls here");
        }
    }
}
