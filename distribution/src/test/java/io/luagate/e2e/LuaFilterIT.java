package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import io.luagate.kernel.Luagate;
import io.luagate.kernel.config.ConfigLoader;
import io.luagate.kernel.config.ConfigProblem;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lua filters ({@code core.register_filter}, {@code filter lua.<name>}) through the real proxy and plugin jars. */
class LuaFilterIT {

    @TempDir
    Path dir;

    private Path script(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    /** HAProxy's own example shape: a class with new(), channel and HTTP callbacks, and a data filter on the body. */
    private static final String TRACE = """
            Trace = {}
            Trace.id = "trace"
            Trace.flags = filter.FLT_CFG_FL_HTX
            Trace.__index = Trace

            function Trace:new()
              local t = setmetatable({}, Trace)
              -- self is this filter line's copy of the class, with what the registration set on it.
              t.prefix = self.prefix
              t.events = {}
              t.req_len = 0
              t.res_len = 0
              return t
            end

            function Trace:start_analyze(txn, chn)
              table.insert(self.events, chn:is_resp() and "start-res" or "start-req")
              if chn:is_resp() then filter.register_data_filter(self, chn) end
            end

            function Trace:http_headers(txn, msg)
              local line = msg:get_stline()
              if msg.channel:is_resp() then
                table.insert(self.events, "hdrs-res:" .. line.code)
                msg:set_header("x-trace", table.concat(self.events, ","))
                msg:add_header("x-trace-arg", self.prefix)
                msg:add_header("x-req-method", txn.sf:method())
              else
                table.insert(self.events, "hdrs-req:" .. line.method .. " " .. line.uri)
                msg:set_header("x-filtered", "yes")
              end
              return filter.CONTINUE
            end

            function Trace:http_payload(txn, msg)
              local body = msg:body()
              self.res_len = self.res_len + #body
              msg:set(body:upper())
            end

            function Trace:http_end(txn, msg)
              if msg:is_resp() then msg:append("|" .. self.res_len) end
              return filter.CONTINUE
            end

            core.register_filter("trace", Trace, function(trace, args)
              trace.prefix = args[1] or "none"
              return trace
            end)
            """;

    @Test
    void filterSeesHeadsAndRewritesTheResponseBody() throws Exception {
        Path lua = script("trace.lua", TRACE);
        try (TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load = [ "%s" ]
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       filter = [ "lua.trace first" ]
                       default-backend = app
                     }
                     backends.app { servers { s = "%s" } }
                     """.formatted(lua, app.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            for (int i = 0; i < 3; i++) {
                Http.Message m = client.get("/hello" + i);
                assertEquals(200, m.status());
                // The body grew by the http_end suffix: the response went out chunked.
                assertEquals("APP /HELLO" + i + "|" + ("app /hello" + i).length(), m.bodyText());
                assertEquals("start-req,hdrs-req:GET /hello" + i + ",start-res,hdrs-res:200", m.header("x-trace"));
                assertEquals("first", m.header("x-trace-arg"));
                assertEquals("GET", m.header("x-req-method"));
                assertNull(m.header("content-length"));
            }
            // The request head the server got went through http_headers; each request got a fresh instance.
            assertEquals("yes", app.connections().get(0).requests.get(2).header("x-filtered"));
        }
    }

    /** Every HTTPMessage and Channel method of HAProxy's filter API, on real traffic. */
    @Test
    void httpMessageAndChannelMethods() throws Exception {
        Path lua = script("methods.lua", """
                M = {}
                M.__index = M
                function M:new() return setmetatable({ notes = {}, parts = 0 }, M) end
                local function note(self, k, v) table.insert(self.notes, k .. "=" .. tostring(v)) end
                function M:start_analyze(txn, chn)
                  note(self, chn:is_resp() and "res" or "req", chn:input() .. "/" .. chn:output() .. "/"
                    .. tostring(chn:may_recv()) .. "/" .. tostring(chn:is_full()))
                  local ok, err = pcall(chn.data, chn)
                  if not chn:is_resp() then note(self, "data", err) end
                  filter.register_data_filter(self, chn)
                end
                function M:http_headers(txn, msg)
                  if not msg:is_resp() then
                    msg:set_method("PUT")
                    msg:set_path("/rewritten")
                    msg:set_query("a=1")
                    msg:del_header("x-drop")
                    msg:rep_header("x-rep", [[^(\\w+)-(\\w+)$]], [[\\2-\\1]])
                    msg:rep_value("x-vals", "^v", "w")
                    note(self, "uri", msg:get_stline().uri)
                    local ok, err = pcall(msg.set_status, msg, 201)
                    note(self, "req_status", ok)
                  else
                    msg:set_status(203, "Filtered")
                    note(self, "reason", msg:get_stline().reason)
                    msg:set_header("x-notes", table.concat(self.notes, ";"))
                  end
                end
                function M:http_payload(txn, msg)
                  self.parts = self.parts + 1
                  if msg:input() == 0 then return end
                  if msg:is_resp() then
                    -- "0123456789" -> remove "89", insert at 2, prepend, then send (goes first)
                    note(self, "in", msg:input())
                    note(self, "out", msg:output())
                    note(self, "fwd", msg:forward(100))
                    msg:remove(-2)
                    msg:insert("<>", 2)
                    msg:prepend("[")
                    msg:send("!")
                    note(self, "full", msg:is_full())
                    local ok = pcall(msg.set_eom, msg)
                    note(self, "set_eom", ok)
                  else
                    note(self, "req_body", msg:body(0, 4) .. "|" .. msg:body(-3))
                    filter.unregister_data_filter(self, msg.channel)
                  end
                end
                function M:http_end(txn, msg)
                  if msg:is_resp() then
                    txn.http:res_set_header("x-too-late", "1")
                    note(self, "eom", msg:eom())
                    msg:append(";" .. table.concat(self.notes, ";", 9))
                  else
                    note(self, "req_parts", self.parts)
                  end
                end
                core.register_filter("methods", M, function(f, args) return f end)
                """);
        try (TestUpstream app = TestUpstream.with("app", (request, connection, out) -> {
                TestUpstream.respond(out, 200, Map.of("X-Seen", request.method() + " " + request.target() + " "
                        + request.header("x-drop") + " " + request.header("x-rep") + " " + request.header("x-vals")),
                        "0123456789".getBytes(StandardCharsets.UTF_8));
                return true;
             });
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load = [ "%s" ]
                     frontends.fe { bind = ["127.0.0.1:0"], filter = [ "lua.methods" ], default-backend = app }
                     backends.app { servers { s = "%s" } }
                     """.formatted(lua, app.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("POST /orig?q=0 HTTP/1.1\r\nHost: x\r\nX-Drop: 1\r\nX-Rep: ab-cd\r\nX-Vals: v1, v2\r\n"
                    + "Content-Length: 10\r\n\r\nabcdefghij");
            Http.Message m = client.read();
            assertEquals(203, m.status());
            // rep_value replaces each matched value whole, as HAProxy's http_replace_hdrs does.
            assertEquals("PUT /rewritten?a=1 null cd-ab w,w", m.header("x-seen"));
            assertEquals("![01<>234567;in=10;out=0;fwd=10;full=false;set_eom=false;eom=true", m.bodyText());
            assertEquals("req=0/0/true/false;data=Cannot manipulate HAProxy channels in HTTP mode.;uri=/rewritten?a=1;"
                    + "req_status=false;req_body=abcd|hij;req_parts=1;res=0/0/true/false;reason=Filtered", m.header("x-notes"));
            assertNull(m.header("x-too-late"));
        }
    }

    /**
     * A filter cannot break a message's framing: a length change is refused where the head left
     * with a Content-Length (or without a body); a failing http_payload fails the stream; a filter
     * that waits forever is ended by timeout.client.
     */
    @Test
    void framingHoldsPayloadErrorsFailAndWaitsAreBounded() throws Exception {
        Path lua = script("framing.lua", """
                Grow = {}
                Grow.__index = Grow
                function Grow:new() return setmetatable({ results = {} }, Grow) end
                function Grow:start_analyze(txn, chn)
                  -- The request's body is seen, the response's is not: its Content-Length stays.
                  if not chn:is_resp() then filter.register_data_filter(self, chn) end
                end
                function Grow:http_payload(txn, msg)
                  table.insert(self.results, "payload")
                  if txn.sf:path() == "/payload-error" then error("broken body filter") end
                end
                function Grow:http_end(txn, msg)
                  table.insert(self.results, (msg:is_resp() and "res" or "req") .. "=" .. msg:append("smuggled"))
                  if msg:is_resp() then txn:set_var("txn.results", table.concat(self.results, ",")) end
                end
                function Grow:http_headers(txn, msg)
                  if msg:is_resp() then msg:set_header("x-early", table.concat(self.results, ",")) end
                  if txn.sf:path() == "/forever" then return filter.WAIT end
                end
                core.register_filter("grow", Grow, function(f, args) return f end)
                """);
        try (TestUpstream app = TestUpstream.with("app", (request, connection, out) -> {
                TestUpstream.respond(out, 200, Map.of(), (request.method() + " " + request.target() + " body="
                        + request.bodyText()).getBytes(StandardCharsets.UTF_8));
                return true;
             });
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load = [ "%s" ]
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       timeout.client = 300ms
                       filter = [ "lua.grow" ]
                       default-backend = app
                     }
                     backends.app { servers { s = "%s" } }
                     """.formatted(lua, app.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            // No request body: no payload call, and http_end cannot add one.
            Http.Message get = client.get("/a");
            assertEquals("GET /a body=", get.bodyText());
            assertEquals("req=-1", get.header("x-early"));
            // A request body seen from its head on is sent chunked: its length may change.
            client.send("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\ndata");
            Http.Message post = client.read();
            assertEquals("POST /b body=datasmuggled", post.bodyText());
            assertEquals("payload,req=8", post.header("x-early"));
            // The response kept its Content-Length: the append was refused, the connection is in step.
            assertEquals(String.valueOf(post.body().length), post.header("content-length"));
            assertEquals("GET /c body=", client.get("/c").bodyText());
            assertEquals(3, app.requestCount());
        }
        try (TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load-per-thread = [ "%s" ]
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       timeout.client = 300ms
                       filter = [ "lua.grow" ]
                       default-backend = app
                     }
                     backends.app { servers { s = "%s" } }
                     """.formatted(lua, app.address()))) {
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                client.send("POST /payload-error HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\ndata");
                assertEquals(400, client.read().status());
            }
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                long start = System.nanoTime();
                assertEquals(500, client.get("/forever").status());
                long waited = System.nanoTime() - start;
                assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(250) && waited < TimeUnit.SECONDS.toNanos(5),
                        "ended by timeout.client: " + waited / 1_000_000 + " ms");
            }
            assertEquals(0, app.requestCount());
        }
    }

    @Test
    void failingNewDetachesOnlyThatFilterAndErrorsFailTheStream() throws Exception {
        Path lua = script("filters.lua", """
                Broken = {}
                Broken.__index = Broken
                function Broken:new() error("cannot start") end
                function Broken:http_headers(txn, msg) msg:set_header("x-broken", "ran") end
                core.register_filter("broken", Broken, function(f, args) return f end)

                Tagger = {}
                Tagger.__index = Tagger
                function Tagger:new() return setmetatable({}, Tagger) end
                function Tagger:http_headers(txn, msg)
                  if msg:is_resp() then msg:set_header("x-tagged", "1") end
                end
                core.register_filter("tagger", Tagger, function(f, args) return f end)

                Strict = {}
                Strict.__index = Strict
                function Strict:new() return setmetatable({}, Strict) end
                function Strict:http_headers(txn, msg)
                  local path = txn.sf:path()
                  if not msg:is_resp() and path == "/reject" then return filter.ERROR end
                  if msg:is_resp() and path == "/bad-response" then return filter.ERROR end
                  if not msg:is_resp() and path == "/crash" then error("filter bug") end
                end
                core.register_filter("strict", Strict, function(f, args) return f end)

                Later = {}
                Later.__index = Later
                function Later:new() return setmetatable({ waits = 0 }, Later) end
                function Later:http_headers(txn, msg)
                  if msg:is_resp() or txn.sf:path() ~= "/wait" then return filter.CONTINUE end
                  if self.waits < 3 then
                    self.waits = self.waits + 1
                    filter.wake_time(20)
                    return filter.WAIT
                  end
                  msg:set_header("x-waited", tostring(self.waits))
                end
                core.register_filter("later", Later, function(f, args) return f end)
                """);
        try (TestUpstream app = TestUpstream.with("app", (request, connection, out) -> {
                String waited = request.header("x-waited");
                TestUpstream.respond(out, 200, Map.of(), ("ok " + request.target() + (waited == null ? "" : " waited " + waited))
                        .getBytes(StandardCharsets.UTF_8));
                return true;
             });
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load-per-thread = [ "%s" ]
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       filter = [ "lua.broken", "lua.tagger", "lua.strict", "lua.later" ]
                       default-backend = app
                     }
                     backends.app { servers { s = "%s" } }
                     """.formatted(lua, app.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            Http.Message ok = client.get("/fine");
            assertEquals(200, ok.status());
            assertEquals("1", ok.header("x-tagged"));
            assertNull(ok.header("x-broken"));
            assertEquals("ok /fine", ok.bodyText());

            long start = System.nanoTime();
            Http.Message waited = client.get("/wait");
            assertEquals("ok /wait waited 3", waited.bodyText());
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(55), "three 20 ms waits");

            assertEquals(400, client.get("/reject").status());
            try (TestClient other = new TestClient(proxy.port("fe"))) {
                assertEquals(400, other.get("/crash").status());
            }
            try (TestClient other = new TestClient(proxy.port("fe"))) {
                assertEquals(502, other.get("/bad-response").status());
                // The connection stays usable after a filter failed a response.
                assertEquals("ok /fine", other.get("/fine").bodyText());
            }
        }
    }

    /** TCP mode: tcp_payload sees the bytes on their way to each peer and may change them; ERROR closes both. */
    @Test
    void tcpFiltersSeeAndChangeTheBytesBothWays() throws Exception {
        Path lua = script("tcp-filter.lua", """
                Tcp = {}
                Tcp.__index = Tcp
                function Tcp:new() return setmetatable({ seen = 0 }, Tcp) end
                function Tcp:start_analyze(txn, chn)
                  filter.register_data_filter(self, chn)
                end
                function Tcp:tcp_payload(txn, chn)
                  local data = chn:data()
                  if data:find("forbidden", 1, true) then return filter.ERROR end
                  if chn:is_resp() then
                    chn:prepend("[" .. self.seen .. "]")
                  else
                    self.seen = self.seen + chn:input()
                    chn:set(data:upper())
                  end
                end
                core.register_filter("tcpf", Tcp, function(f, args) return f end)
                """);
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                while (!echo.isClosed()) {
                    try (Socket socket = echo.accept()) {
                        connections.incrementAndGet();
                        byte[] request = socket.getInputStream().readAllBytes();
                        socket.getOutputStream().write(("echo:" + new String(request, StandardCharsets.UTF_8))
                                .getBytes(StandardCharsets.UTF_8));
                    } catch (Exception e) {
                        // the test closed the server, or the proxy closed the connection
                    }
                }
            });
            server.setDaemon(true);
            server.start();
            try (InProcessProxy proxy = InProcessProxy.start("""
                         log.target = none
                         global.threads = 2
                         lua { load = [ "%1$s" ], load-per-thread = [] }
                         frontends.fe { bind = ["127.0.0.1:0"], mode = tcp, default-backend = echo, filter = [ "lua.tcpf" ] }
                         backends.echo { mode = tcp, servers { s = "127.0.0.1:%2$d" } }
                         """.formatted(lua, echo.getLocalPort()))) {
                for (int i = 0; i < 3; i++) {
                    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port("fe"))) {
                        client.getOutputStream().write(("hello " + i).getBytes(StandardCharsets.UTF_8));
                        client.shutdownOutput();
                        assertEquals("[7]echo:HELLO " + i,
                                new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port("fe"))) {
                    client.getOutputStream().write("this is forbidden".getBytes(StandardCharsets.UTF_8));
                    client.setSoTimeout(5000);
                    // ERROR closes both connections: nothing comes back.
                    assertEquals(-1, client.getInputStream().read());
                }
            }
        }
    }

    @Test
    void unknownFiltersAreConfigErrors() throws Exception {
        Path lua = script("one.lua", "core.register_filter('one', { new = function(c) return {} end }, function(f) end)\n");
        Path config = InProcessProxy.writeConfig("""
                lua.load = [ "%s" ]
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = be, filter = [ "lua.nope", "compression" ] }
                frontends.raw { bind = ["127.0.0.1:0"], mode = tcp, default-backend = tcpbe, filter = [ "lua.one" ] }
                backends.be { servers { s = "127.0.0.1:1" } }
                backends.tcpbe { mode = tcp, servers { s = "127.0.0.1:1" } }
                """.formatted(lua));
        List<ConfigProblem> problems = Luagate.check(ConfigLoader.load(config, InProcessProxy.distribution()),
                InProcessProxy.distribution()).list();
        String all = problems.toString();
        // The TCP frontend's filter is fine: filters run in both modes.
        assertEquals(2, problems.size(), all);
        assertTrue(all.contains("frontends.fe.filter") && all.contains("unknown filter 'lua.nope'"), all);
        assertTrue(all.contains("unknown filter 'compression'"), all);
        assertTrue(problems.get(0).origin().contains(config.getFileName().toString()), all);
    }

    /**
     * The filter crash scenario: filters from lua.load and from lua.load-per-thread in one config,
     * 2 event loops, 64 concurrent clients, 20,000 requests; no error, nothing leaks between
     * streams, and the answers are those of a 1-loop run.
     */
    @Test
    void sharedAndPerThreadFiltersUnderLoadAnswerAsOneLoopDoes() throws Exception {
        Path shared = script("shared-filter.lua", """
                Count = {}
                Count.__index = Count
                local streams = 0
                function Count:new()
                  streams = streams + 1
                  return setmetatable({ seen = 0 }, Count)
                end
                function Count:start_analyze(txn, chn)
                  if not chn:is_resp() then filter.register_data_filter(self, chn) end
                end
                function Count:http_payload(txn, msg)
                  self.seen = self.seen + msg:input()
                end
                function Count:http_end(txn, msg)
                  if not msg:is_resp() then txn:set_var("txn.req_bytes", self.seen) end
                end
                function Count:http_headers(txn, msg)
                  if msg:is_resp() then
                    -- A leak across streams would show as a count from another request.
                    msg:set_header("x-req-bytes", tostring(txn:get_var("txn.req_bytes")))
                  end
                end
                core.register_filter("count", Count, function(f, args) return f end)
                """);
        Path perThread = script("thread-filter.lua", """
                Rewrite = {}
                Rewrite.__index = Rewrite
                function Rewrite:new()
                  return setmetatable({ id = nil }, Rewrite)
                end
                function Rewrite:start_analyze(txn, chn)
                  if chn:is_resp() then filter.register_data_filter(self, chn) end
                end
                function Rewrite:http_headers(txn, msg)
                  if not msg:is_resp() then
                    self.id = msg:get_headers()["x-id"][0]
                    msg:set_header("x-thread-state", tostring(core.thread > 0))
                  else
                    msg:set_header("x-id-seen", self.id)
                  end
                end
                function Rewrite:http_payload(txn, msg)
                  msg:set(msg:body():upper())
                end
                core.register_filter("rewrite", Rewrite, function(f, args) return f end)
                """);
        List<String> oneLoop = run(shared, perThread, 1, 8, 50);
        List<String> twoLoops = run(shared, perThread, 2, 64, 20_000 / 64 + 1);
        // 64 x 313 = 20,032 requests; each client's answers are compared with the one-loop answers.
        assertEquals(oneLoop.get(0), twoLoops.get(0));
        assertEquals("errors=0", twoLoops.get(1));
    }

    /** Runs the load; returns the answer shape for request 0 and the error count. */
    private List<String> run(Path shared, Path perThread, int threads, int clients, int perClient) throws Exception {
        try (TestUpstream app = TestUpstream.with("app", (request, connection, out) -> {
                TestUpstream.respond(out, 200, Map.of(), ("body of " + request.target() + " from " + request.header("x-id")
                        + " thread-state " + request.header("x-thread-state") + " len " + request.body().length)
                        .getBytes(StandardCharsets.UTF_8));
                return true;
             });
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     global { threads = %d, maxconn = 1000 }
                     lua { load = [ "%s" ], load-per-thread = [ "%s" ] }
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       filter = [ "lua.count", "lua.rewrite" ]
                       default-backend = app
                     }
                     backends.app { servers { s = "%s" } }
                     """.formatted(threads, shared, perThread, app.address()))) {
            int port = proxy.port("fe");
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int client = c;
                    results.add(pool.submit(() -> {
                        int errors = 0;
                        String first = null;
                        try (TestClient http = new TestClient(port)) {
                            for (int i = 0; i < perClient; i++) {
                                String id = client + "-" + i;
                                String body = "payload-" + id;
                                http.send("POST /r/" + i + " HTTP/1.1\r\nHost: x\r\nX-Id: " + id + "\r\nContent-Length: "
                                        + body.length() + "\r\n\r\n" + body);
                                Http.Message m = http.read();
                                String expected = ("body of /r/" + i + " from " + id + " thread-state true len " + body.length())
                                        .toUpperCase();
                                boolean right = m.status() == 200 && expected.equals(m.bodyText())
                                        && id.equals(m.header("x-id-seen"))
                                        && String.valueOf(body.length()).equals(m.header("x-req-bytes"));
                                if (!right) {
                                    errors++;
                                }
                                if (i == 0 && client == 0) {
                                    first = m.status() + " " + m.bodyText() + " " + m.header("x-id-seen") + " " + m.header("x-req-bytes");
                                }
                            }
                        }
                        return client == 0 ? first + "\n" + errors : String.valueOf(errors);
                    }));
                }
                String first = null;
                int errors = 0;
                for (Future<String> f : results) {
                    String r = f.get(120, TimeUnit.SECONDS);
                    if (r.contains("\n")) {
                        first = r.substring(0, r.indexOf('\n'));
                        errors += Integer.parseInt(r.substring(r.indexOf('\n') + 1));
                    } else {
                        errors += Integer.parseInt(r);
                    }
                }
                assertEquals(clients * perClient, app.requestCount());
                return List.of(first, "errors=" + errors);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
