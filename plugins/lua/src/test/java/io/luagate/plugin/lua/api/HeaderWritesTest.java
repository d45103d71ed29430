package io.luagate.plugin.lua.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.ChannelBuffer;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.stream.Stream;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Header names and values a script writes fail at the call that gives them, and header tables
 * fold A-Z only, as HAProxy's do.
 */
class HeaderWritesTest {

    private static final String SCRIPT = """
            local function try(r, f, ...)
              local ok, err = pcall(f, ...)
              r[#r + 1] = ok and "ok" or tostring(err):gsub("^.-'", "'", 1)
            end
            core.register_fetches("writes", function(txn)
              local r = {}
              try(r, txn.http.req_set_header, txn.http, "X-\\xc3\\x89", "v")
              try(r, txn.http.req_add_header, txn.http, "X Y", "v")
              try(r, txn.http.req_set_header, txn.http, "X-Ok", "a\\nb")
              try(r, txn.http.req_add_header, txn.http, "X-Ok", "a\\0b")
              try(r, txn.http.req_add_header, txn.http, "X-Ok", "a\\tb")
              local reply = txn:reply()
              try(r, reply.add_header, reply, "X-\\xc3\\x89", "v")
              try(r, reply.add_header, reply, "X-A", "a\\rb")
              return table.concat(r, "\\n")
            end)
            core.register_fetches("tables", function(txn)
              local reply = txn:reply()
              reply:add_header("X-A", "a")
              reply:add_header("X-B", "b")
              reply:del_header("X-a")
              local h = txn.http:req_get_headers()
              local names = {}
              for k in pairs(reply.headers) do names[#names + 1] = k end
              table.sort(names)
              return table.concat(names, ",") .. "|" .. tostring(h["x-\\xc9"] and h["x-\\xc9"][0]) .. "|"
                  .. tostring(h["x-\\xe9"]) .. "|" .. h["x-ab"][0]
            end)
            """;

    @TempDir
    Path dir;

    private EventLoop loop;
    private ScriptRunner runner;

    @BeforeEach
    void start() throws Exception {
        loop = new DefaultEventLoop();
        runner = new ScriptRunner(dir, loop, SCRIPT);
    }

    @AfterEach
    void stop() throws Exception {
        runner.stop();
        loop.shutdownGracefully().sync();
    }

    @Test
    void namesAndValuesThatCannotBeWrittenFailAtTheCall() throws Exception {
        Head request = new Head();
        String result = runner.call("writes", new Txn(request), new org.luaj.vm2.LuaValue[0]).values().arg1().tojstring();
        String name = " is not a header name (luagate writes token names only; HAProxy would send its bytes)";
        String control = ", which luagate does not send (HAProxy sends it raw; a NUL cuts the value there)";
        assertEquals(List.of(
                "'req_set_header': 'X-\u00c3\u0089'" + name,
                "'req_add_header': 'X Y'" + name,
                "'req_set_header': the value of header 'X-Ok' holds the control byte \\x0A" + control,
                "'req_add_header': the value of header 'X-Ok' holds the control byte \\x00" + control,
                "ok",
                "'add_header': 'X-\u00c3\u0089'" + name,
                "'add_header': the value of header 'X-A' holds the control byte \\x0D" + control),
                List.of(result.split("\n")));
        assertEquals(List.of(Map.entry("X-Ok", "a\tb")), request.lines);
    }

    @Test
    void headerTablesFoldAsciiOnly() throws Exception {
        // A byte C9 is not E9 folded: HAProxy's tolower leaves it, where Java's would not.
        Head request = new Head();
        request.addHeader("X-\u00c9", "c9");
        request.addHeader("X-AB", "ab");
        LuaCall.Outcome outcome = runner.call("tables", new Txn(request), new org.luaj.vm2.LuaValue[0]);
        assertNull(outcome.error(), outcome.error());
        String result = outcome.values().arg1().tojstring();
        assertEquals("x-b|c9|nil|ab", result);
    }

    /** A request head in memory, its lines in order. */
    private static final class Head implements HttpHead {

        final List<Map.Entry<String, String>> lines = new ArrayList<>();

        @Override
        public String method() {
            return "GET";
        }

        @Override
        public void setMethod(String method) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String uri() {
            return "/";
        }

        @Override
        public void setUri(String uri) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String path() {
            return "/";
        }

        @Override
        public String query() {
            return null;
        }

        @Override
        public String version() {
            return "HTTP/1.1";
        }

        @Override
        public int status() {
            return 0;
        }

        @Override
        public void setStatus(int status, String reason) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String header(String name) {
            List<String> all = headers(name);
            return all.isEmpty() ? null : all.get(0);
        }

        @Override
        public List<String> headers(String name) {
            return lines.stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
        }

        @Override
        public void setHeader(String name, String value) {
            removeHeader(name);
            addHeader(name, value);
        }

        @Override
        public void addHeader(String name, String value) {
            lines.add(Map.entry(name, value));
        }

        @Override
        public void removeHeader(String name) {
            lines.removeIf(e -> e.getKey().equalsIgnoreCase(name));
        }

        @Override
        public void forEachHeader(BiConsumer<String, String> action) {
            lines.forEach(e -> action.accept(e.getKey(), e.getValue()));
        }
    }

    private record Txn(HttpHead request) implements Transaction {
        @Override
        public Stream stream() {
            throw new UnsupportedOperationException("no stream here");
        }

        @Override
        public void reply(HttpReply reply) {
            throw new UnsupportedOperationException();
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
            return null;
        }
    }
}
