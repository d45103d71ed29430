package io.luagate.plugin.lua.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.plugin.lua.engine.LuaEngine;
import io.luagate.plugin.lua.engine.LuaSettings;
import io.luagate.plugin.lua.engine.LuaState;
import io.luagate.plugin.lua.engine.NoPatterns;
import io.luagate.plugin.lua.engine.NoSamples;
import io.luagate.plugin.lua.engine.TestRuntime;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.ChannelBuffer;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.stream.Stream;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaValue;

/** HAProxy's Channel class on a buffer in memory: offsets, lengths, edits, waits and errors. */
class ChannelApiTest {

    private static final String SCRIPT = """
            local function show(v) if v == nil then return "nil" end return tostring(v) end
            local function join(...)
              local t = {}
              for i = 1, select("#", ...) do t[#t + 1] = show((select(i, ...))) end
              return table.concat(t, "|")
            end

            core.register_action("reads", { "tcp-req" }, function(txn)
              local c = txn.req
              return join(c:data(), c:data(6), c:data(-5), c:data(0, 5), c:data(0, 0), c:data(20), c:data(0, 100),
                          c:data(0, -1), c:line(), c:line(6), c:line(0, 3), c:line(-5), c:line(0, -1), c:input(),
                          c:output(), c:is_resp(), txn.res:is_resp())
            end)

            core.register_action("empty", { "tcp-req" }, function(txn)
              local c = txn.req
              return join(c:data(), c:line(), c:dup(), c:get(), c:getline(), c:data(0, 3), c:may_recv())
            end)

            core.register_action("edits", { "tcp-req" }, function(txn)
              local c = txn.req
              return join(c:set("HELLO", 0, 5), c:set("!", -1), c:insert("<"), c:insert("_", -1), c:append("END"),
                          c:prepend("S"), c:remove(0, 1), c:remove(-3), c:data(), c:set("x", 3, 0),
                          c:set(string.rep("z", 100)), c:append(""), c:data(), c:remove(2, -1), c:data(), c:remove(),
                          c:input())
            end)

            core.register_action("errors", { "tcp-req" }, function(txn)
              local c = txn.req
              local r = {}
              local function try(f, ...)
                local ok, err = pcall(f, ...)
                r[#r + 1] = ok and "ok" or tostring(err)
              end
              try(c.set, c, "x", 100)
              try(c.set, c, "x", 0, 100)
              try(c.remove, c, 0, -2)
              try(c.insert, c, "x", 100)
              try(c.append, c)
              try(c.data, c, 1, 2, 3)
              try(c.set, c)
              try(c.data, c, "x")
              try(c.data, c, 0, -2)
              try(c.input, c, 1)
              try(c.data, {})
              try(c.forward, c, 1.5)
              return table.concat(r, "\\n")
            end)

            core.register_action("moves", { "tcp-req" }, function(txn)
              local c = txn.req
              return join(c:send("abc"), c:forward(3), c:data(), c:forward(10), c:input(), c:send(""))
            end)

            core.register_action("old", { "tcp-req" }, function(txn)
              local c = txn.req
              return join(c:get_in_len(), c:get_out_len(), c:dup(), c:getline(), c:getline(), c:get(), c:input(),
                          c:may_recv(), c:is_full())
            end)

            core.register_action("waits", { "tcp-req" }, function(txn)
              local c = txn.req
              local a = c:line()
              local b = c:data(0, 14)
              local f = c:forward(20)
              local d = c:data(0, -1)
              return join(a, b, f, d)
            end)

            core.register_action("http", { "http-req" }, function(txn)
              local c = txn.req
              local _, err = pcall(c.data, c)
              local _, err2 = pcall(c.send, c, "x")
              return join(c:input(), c:output(), c:may_recv(), c:is_full(), c:is_resp(), err, err2)
            end)

            core.register_action("objects", { "tcp-req" }, function(txn)
              return join(rawequal(txn.req, txn.req), type(txn.req), getmetatable(txn.req) == getmetatable(txn.res))
            end)

            core.register_fetches("peek", function(txn)
              return join(txn.req:data(0, 10), txn.req:line())
            end)
            """;

    @TempDir
    Path home;

    private final EventLoop loop = new DefaultEventLoop();
    private LuaEngine engine;
    private LuaState state;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(home.resolve("channel.lua"), SCRIPT);
        long timeout = TimeUnit.SECONDS.toNanos(5);
        engine = new LuaEngine(new LuaSettings(List.of("channel.lua"), List.of(), List.of(), 10_000, timeout, timeout, 0, 0, 0),
                home, new NoPatterns(), new NoSamples(), 1);
        assertEquals(List.of(), engine.problems());
        engine.start(TestRuntime.of(loop));
        state = engine.sharedState();
    }

    @AfterEach
    void stop() throws Exception {
        engine.stop();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private MemoryChannel channel(boolean response, String held, boolean raw) {
        MemoryChannel channel = new MemoryChannel(response, raw, 64, loop);
        channel.feed(held);
        return channel;
    }

    /** Starts action {@code name} as an action runs (a yieldable call) on {@code txn}. */
    private CompletableFuture<LuaCall.Outcome> start(String name, Transaction txn) {
        CompletableFuture<LuaCall.Outcome> done = new CompletableFuture<>();
        loop.execute(() -> {
            LuaCall call = new LuaCall(state, "action lua." + name, true, TimeUnit.SECONDS.toNanos(5), loop).serving(txn);
            LuaValue txnObject = ((LuaApi) state.api()).txn(new TxnContext(state, txn, false, call));
            call.start(state.registrations().actions.get(name).values().iterator().next().function(), txnObject, done::complete);
        });
        return done;
    }

    private String action(String name, Transaction txn) throws Exception {
        LuaCall.Outcome outcome = start(name, txn).get(10, TimeUnit.SECONDS);
        assertFalse(outcome.failed(), outcome.error());
        return outcome.values().arg1().tojstring();
    }

    private void onLoop(Runnable task) throws Exception {
        loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private boolean onLoop(BooleanSupplier test) throws Exception {
        return loop.submit(test::getAsBoolean).get(5, TimeUnit.SECONDS);
    }

    /** Waits until the script waits on {@code channel}. */
    private void awaitWaiting(MemoryChannel channel) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!onLoop(channel::hasWatchers)) {
            assertTrue(System.nanoTime() < deadline, "the script never waited on the channel");
            Thread.sleep(5);
        }
    }

    @Test
    void readsWithHAProxysOffsetsAndLengths() throws Exception {
        MemoryChannel req = channel(false, "hello\nworld", true).lastEvaluation();
        String result = action("reads", new Txn(req, channel(true, "", true)));
        assertEquals(String.join("|", "hello\nworld", "world", "world", "hello", "", "", "hello\nworld", "hello\nworld",
                "hello\n", "world", "hel", "world", "hello\n", "11", "0", "false", "true"), result);
    }

    @Test
    void nothingHeldAndNothingToComeIsNil() throws Exception {
        MemoryChannel req = channel(false, "", true).end();
        assertEquals("nil|nil|nil|nil|nil|nil|false", action("empty", new Txn(req, null)));
    }

    @Test
    void editsChangeTheInputAndAnswerHowMuch() throws Exception {
        MemoryChannel req = channel(false, "hello world", true).lastEvaluation();
        assertEquals("5|1|1|1|3|1|1|3|<HELLO worl_!|1|-1|0|<HExLLO worl_!|12|<H|2|0", action("edits", new Txn(req, null)));
    }

    @Test
    void badArgumentsRaiseHAProxysErrors() throws Exception {
        MemoryChannel req = channel(false, "hello", true).lastEvaluation();
        String[] errors = action("errors", new Txn(req, null)).split("\n");
        assertEquals(12, errors.length, String.join("\n", errors));
        assertTrue(errors[0].endsWith("offset out of range."), errors[0]);
        assertTrue(errors[1].endsWith("length out of range."), errors[1]);
        assertTrue(errors[2].endsWith("length out of range."), errors[2]);
        assertTrue(errors[3].endsWith("offset out of range."), errors[3]);
        assertTrue(errors[4].endsWith("'append' needs 2 arguments"), errors[4]);
        assertTrue(errors[5].endsWith("'data' expects at most 2 arguments"), errors[5]);
        assertTrue(errors[6].endsWith("'set' expects at least 1 argument and at most 3 arguments"), errors[6]);
        assertTrue(errors[7].endsWith("bad argument #2 to 'data' (number expected, got string)"), errors[7]);
        assertTrue(errors[8].endsWith("length out of range."), errors[8]);
        assertTrue(errors[9].endsWith("'input' needs 1 arguments"), errors[9]);
        assertTrue(errors[10].contains("bad argument #1 to 'data' (Channel expected, got table"), errors[10]);
        assertTrue(errors[11].endsWith("bad argument #2 to 'forward' (number has no integer representation)"), errors[11]);
        assertEquals("hello", req.held());
    }

    @Test
    void sendAndForwardGoToThePeer() throws Exception {
        MemoryChannel req = channel(false, "hello", true).lastEvaluation();
        assertEquals("3|3|lo|2|0|0", action("moves", new Txn(req, null)));
        assertEquals("abchello", req.out());
    }

    @Test
    void theDeprecatedNamesStillWork() throws Exception {
        MemoryChannel req = channel(false, "one\ntwo\nrest", true).lastEvaluation();
        assertEquals("12|0|one\ntwo\nrest|one\n|two\n|rest|0|true|false", action("old", new Txn(req, null)));
    }

    @Test
    void anActionWaitsForTheDataItAsksForWithoutHoldingTheLoop() throws Exception {
        MemoryChannel req = new MemoryChannel(false, true, 64, loop);
        CompletableFuture<LuaCall.Outcome> done = start("waits", new Txn(req, null));
        awaitWaiting(req);
        onLoop(() -> req.feed("par"));
        awaitWaiting(req);
        assertFalse(done.isDone());
        onLoop(() -> req.feed("tial\nre"));
        awaitWaiting(req);
        onLoop(() -> req.feed("st of it"));
        awaitWaiting(req);
        onLoop(() -> req.feed("!!!"));
        awaitWaiting(req);
        assertFalse(done.isDone());
        onLoop(req::lastEvaluation);
        LuaCall.Outcome outcome = done.get(5, TimeUnit.SECONDS);
        assertFalse(outcome.failed(), outcome.error());
        assertEquals("partial\n|partial\nrest o|20|!", outcome.values().arg1().tojstring());
        assertEquals("partial\nrest of it!!", req.out());
    }

    @Test
    void aFetchNeverWaitsAndTakesWhatIsThere() throws Exception {
        MemoryChannel req = channel(false, "abc", true);
        Txn txn = new Txn(req, null);
        LuaCall.Outcome outcome = loop.submit(() -> {
            LuaCall call = new LuaCall(state, "fetch lua.peek", false, TimeUnit.SECONDS.toNanos(5), loop).serving(txn);
            return call.invoke(state.registrations().fetches.get("peek"),
                    ((LuaApi) state.api()).txn(new TxnContext(state, txn, false, call)));
        }).get(5, TimeUnit.SECONDS);
        assertFalse(outcome.failed(), outcome.error());
        assertEquals("abc|abc", outcome.values().arg1().tojstring());
    }

    @Test
    void httpChannelsAnswerLengthsAndRefuseBytes() throws Exception {
        MemoryChannel req = new MemoryChannel(false, false, 64, loop);
        String result = action("http", new Txn(req, null));
        String[] parts = result.split("\\|");
        assertEquals("0|0|true|false|false", String.join("|", List.of(parts).subList(0, 5)));
        assertTrue(parts[5].endsWith("Cannot manipulate HAProxy channels in HTTP mode."), parts[5]);
        assertTrue(parts[6].endsWith("Cannot manipulate HAProxy channels in HTTP mode."), parts[6]);
    }

    @Test
    void txnReqIsOneChannelObjectAndNilWithoutABuffer() throws Exception {
        assertEquals("true|table|true", action("objects", new Txn(channel(false, "", true), channel(true, "", true))));
        assertEquals("true|nil|true", action("objects", new Txn(null, null)));
    }

    /** A TCP transaction whose held bytes are {@code req} and {@code res}. */
    private record Txn(ChannelBuffer req, ChannelBuffer res) implements Transaction {
        @Override
        public Stream stream() {
            throw new UnsupportedOperationException("no stream here");
        }

        @Override
        public void reply(HttpReply reply) {
            throw new UnsupportedOperationException();
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
        public ChannelBuffer channel(boolean response) {
            return response ? res : req;
        }
    }
}
