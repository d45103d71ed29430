package io.luagate.plugin.lua.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.VarScope;
import io.luagate.spi.stream.Stream;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaValue;

/** A TXN object kept by a script works in the calls of its own request only. */
class RequestBoundTest {

    private static final String SCRIPT = """
            local kept
            core.register_fetches("keep", function(txn)
              kept = txn
              stashed = txn
              return kept:get_var("txn.secret")
            end)
            core.register_fetches("use_kept", function(txn)
              return kept:get_var("txn.secret")
            end)
            core.register_fetches("use_global", function(txn)
              return stashed:get_var("txn.secret")
            end)
            core.register_fetches("write_kept", function(txn)
              kept:set_var("txn.secret", "overwritten")
            end)
            core.register_fetches("own", function(txn)
              return txn:get_var("txn.secret")
            end)
            """;

    @TempDir
    Path dir;

    private final EventLoop loop = new DefaultEventLoop();
    private ScriptRunner lua;

    @BeforeEach
    void load() throws Exception {
        lua = new ScriptRunner(dir, loop, SCRIPT);
    }

    @AfterEach
    void stop() throws Exception {
        lua.stop();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void aKeptTxnFailsInAnotherRequestAndNothingLeaks() throws Exception {
        Transaction first = transaction("first secret");
        Transaction second = transaction("second secret");
        assertEquals("first secret", lua.call("keep", first).values().arg1().tojstring());
        // The same request may use it again (a later call of the same stream).
        assertEquals("first secret", lua.call("use_kept", first).values().arg1().tojstring());
        for (String name : new String[] {"use_kept", "use_global", "write_kept"}) {
            LuaCall.Outcome outcome = lua.call(name, second);
            assertTrue(outcome.failed(), name + " returned " + outcome.values());
            assertTrue(outcome.error().contains("'" + (name.equals("write_kept") ? "set_var" : "get_var")
                    + "': this TXN object belongs to a request that ended or to another stream"), outcome.error());
            assertTrue(!outcome.error().contains("first secret"), outcome.error());
        }
        assertEquals("first secret", first.var(VarScope.TXN, "secret"));
        assertEquals("second secret", lua.call("own", second).values().arg1().tojstring());
    }

    /** A call made for no request (a task, or a fetch called with nil) cannot use one either. */
    @Test
    void aKeptTxnFailsInACallForNoRequest() throws Exception {
        lua.call("keep", transaction("secret"));
        String error = lua.error("use_kept");
        assertTrue(error.contains("this TXN object belongs to a request that ended or to another stream"), error);
    }

    /** A transaction whose variables live in a map: enough for get_var / set_var. */
    private static Transaction transaction(String secret) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("secret", secret);
        return new Transaction() {
            @Override
            public Stream stream() {
                throw new UnsupportedOperationException("stream");
            }

            @Override
            public void reply(HttpReply reply) {
                throw new UnsupportedOperationException("reply");
            }

            @Override
            public HttpHead request() {
                return null;
            }

            @Override
            public HttpHead response() {
                return null;
            }

            @Override
            public byte[] requestBody() {
                return null;
            }

            @Override
            public Object var(VarScope scope, String name) {
                return scope == VarScope.TXN ? vars.get(name) : null;
            }

            @Override
            public void setVar(VarScope scope, String name, Object value) {
                if (scope == VarScope.TXN) {
                    vars.put(name, value);
                }
            }
        };
    }
}
