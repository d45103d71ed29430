package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import io.luagate.kernel.Luagate;
import io.luagate.kernel.config.ConfigLoader;
import io.luagate.kernel.config.ConfigProblem;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lua scripts through the real proxy with the real lua plugin jar: HAProxy's API end to end. */
class LuaIT {

    @TempDir
    Path dir;

    private Path script(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    /**
     * The seed scenario: a Lua service is the controller API that receives endpoint lists; a Lua
     * fetch classifies each request (header + path) and sets req.ip, req.port and req.be; the rules
     * send the request there with set-dst, set-dst-port and a dynamic use-backend.
     */
    @Test
    void controllerServiceAndClassifyingFetchRouteRequests() throws Exception {
        Path lua = script("route.lua", """
                local endpoints = {}   -- service name -> { ip, port }
                core.register_service("svc_manage", "http", function(applet)
                  local body = applet:receive()
                  local n = 0
                  for name, ip, port in body:gmatch("(%S+)%s+(%S+):(%d+)") do
                    endpoints[name] = { ip = ip, port = port }
                    n = n + 1
                  end
                  local msg = "stored " .. n .. "\\n"
                  applet:set_status(200)
                  applet:add_header("content-length", #msg)
                  applet:start_response()
                  applet:send(msg)
                end)
                core.register_fetches("flow_type", function(txn)
                  local tenant = txn.f:req_hdr("x-tenant")
                  local path = txn.f:path()
                  if tenant == "pfb" and path:sub(1, 8) == "/orders/" then
                    local ep = endpoints["orders"]
                    if ep then
                      txn:set_var("req.ip", ep.ip)
                      txn:set_var("req.port", ep.port)
                      txn:set_var("req.be", "pfb-orders")
                      return "pfb"
                    end
                  end
                  return "default"
                end)
                """);
        try (TestUpstream app = TestUpstream.named("app"); TestUpstream orders = TestUpstream.named("orders");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load = [ "%s" ]
                     global.threads = 2
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-request = [
                         "use-service lua.svc_manage if { path_beg /svc-cache/api/v1/endpoints }",
                         "set-var(req.flow) lua.flow_type",
                         "set-dst var(req.ip) if { var(req.flow) -m str pfb }",
                         "set-dst-port var(req.port) if { var(req.flow) -m str pfb }",
                         "set-header X-Flow %%[var(req.flow)]"
                       ]
                       use-backend = [ "%%[var(req.be)] if { var(req.flow) -m str pfb }" ]
                       default-backend = app
                     }
                     backends {
                       app { servers { s = "%s" } }
                       pfb-orders { servers { dyn = "0.0.0.0:0" } }
                     }
                     """.formatted(lua, app.address()))) {
            int port = proxy.port("fe");
            // One shared state (lua.load): an update through any event loop is seen by all of them.
            String update = "orders 127.0.0.1:" + orders.port() + "\n";
            try (TestClient admin = new TestClient(port)) {
                admin.send("POST /svc-cache/api/v1/endpoints HTTP/1.1\r\nHost: x\r\nContent-Length: "
                        + update.length() + "\r\n\r\n" + update);
                Http.Message stored = admin.read();
                assertEquals(200, stored.status());
                assertEquals("stored 1\n", new String(stored.body(), StandardCharsets.UTF_8));
            }
            for (int c = 0; c < 4; c++) {
                try (TestClient client = new TestClient(port)) {
                    for (int i = 0; i < 5; i++) {
                        client.send("GET /orders/" + i + " HTTP/1.1\r\nHost: x\r\nX-Tenant: pfb\r\n\r\n");
                        Http.Message routed = client.read();
                        assertEquals("orders /orders/" + i, new String(routed.body(), StandardCharsets.UTF_8));
                        client.send("GET /orders/" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                        Http.Message plain = client.read();
                        assertEquals("app /orders/" + i, new String(plain.body(), StandardCharsets.UTF_8));
                    }
                }
            }
            assertEquals("pfb", orders.connections().get(0).requests.get(0).header("x-flow"));
        }
    }

    @Test
    void actionsTxnApiAndErrorsBehaveAsInHaproxy() throws Exception {
        Path lua = script("api.lua", """
                core.register_action("tag", { "http-req" }, function(txn, name, value)
                  txn.http:req_set_header(name, value .. "-" .. txn.sf:method() .. "-" .. txn.c:lower("ABC"))
                  local hdrs = txn.http:req_get_headers()
                  txn:set_var("txn.host", hdrs["host"][0])
                end, 2)
                core.register_action("broken", { "http-req" }, function(txn) error("on purpose") end)
                core.register_action("deny_admin", { "http-req" }, function(txn)
                  if txn.f:path() == "/admin" then return act.DENY end
                end)
                core.register_action("answer", { "http-req" }, function(txn)
                  if txn.f:path() == "/lua-reply" then
                    local reply = txn:reply({ status = 201, body = "made by lua" })
                    reply:add_header("x-made-by", "lua")
                    txn:done(reply)
                  end
                end)
                core.register_action("resp", { "http-res" }, function(txn)
                  txn.http:res_set_header("x-host", txn:get_var("txn.host"))
                end)
                core.register_converters("mask", function(value, keep)
                  return value:sub(1, tonumber(keep)) .. "***"
                end)
                core.register_service("empty", "http", function(applet) end)
                core.register_service("failing", "http", function(applet) error("service broke") end)
                """);
        try (TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load = [ "%s" ]
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-request = [
                         "use-service lua.empty if { path /empty }",
                         "use-service lua.failing if { path /failing }",
                         "lua.broken",
                         "lua.tag X-Tag v1",
                         "lua.deny_admin",
                         "lua.answer",
                         "set-header X-Masked %%[req.hdr(x-secret),lua.mask(3)]"
                       ]
                       http-response = [ "lua.resp" ]
                       default-backend = app
                     }
                     backends.app { servers { s = "%s" } }
                     """.formatted(lua, app.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("GET /x HTTP/1.1\r\nHost: h1\r\nX-Secret: abcdef\r\n\r\n");
            Http.Message ok = client.read();
            assertEquals(200, ok.status());
            assertEquals("h1", ok.header("x-host"));
            Http.Message seen = app.connections().get(0).requests.get(0);
            assertEquals("v1-GET-abc", seen.header("x-tag"));
            assertEquals("abc***", seen.header("x-masked"));

            client.send("GET /admin HTTP/1.1\r\nHost: h1\r\n\r\n");
            assertEquals(403, client.read().status());
        }
        try (TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load = [ "%s" ]
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-request = [
                         "use-service lua.empty if { path /empty }",
                         "use-service lua.failing if { path /failing }",
                         "lua.answer"
                       ]
                       default-backend = app
                     }
                     backends.app { servers { s = "%s" } }
                     """.formatted(lua, app.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("GET /lua-reply HTTP/1.1\r\nHost: h\r\n\r\n");
            Http.Message reply = client.read();
            assertEquals(201, reply.status());
            assertEquals("lua", reply.header("x-made-by"));
            assertEquals("made by lua", new String(reply.body(), StandardCharsets.UTF_8));
            try (TestClient other = new TestClient(proxy.port("fe"))) {
                other.send("GET /empty HTTP/1.1\r\nHost: h\r\n\r\n");
                assertEquals(500, other.read().status());
            }
            try (TestClient other = new TestClient(proxy.port("fe"))) {
                other.send("GET /failing HTTP/1.1\r\nHost: h\r\n\r\n");
                assertEquals(500, other.read().status());
            }
            assertEquals(0, app.requestCount());
        }
    }

    /** core.sleep(2) in an action for 500 concurrent requests does not slow the others. */
    @Test
    void sleepingActionsDoNotHoldTheEventLoop() throws Exception {
        Path lua = script("sleep.lua", """
                core.register_action("nap", { "http-req" }, function(txn)
                  if txn.f:path() == "/slow" then core.sleep(2) end
                end)
                """);
        try (TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     global.threads = 1
                     global.maxconn = 2000
                     lua.load = [ "%s" ]
                     frontends.fe { bind = ["127.0.0.1:0"], http-request = [ "lua.nap" ], default-backend = app }
                     backends.app { servers { s = "%s" } }
                     """.formatted(lua, app.address()))) {
            int port = proxy.port("fe");
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 500; i++) {
                    Socket s = new Socket("127.0.0.1", port);
                    s.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    slow.add(s);
                }
                long started = System.nanoTime();
                try (TestClient fast = new TestClient(port)) {
                    for (int i = 0; i < 20; i++) {
                        assertEquals(200, fast.get("/fast").status());
                    }
                }
                long fastMillis = (System.nanoTime() - started) / 1_000_000;
                assertTrue(fastMillis < 1800, "20 fast requests took " + fastMillis + " ms next to 500 sleeping ones");
                for (Socket s : slow) {
                    s.setSoTimeout(10_000);
                    InputStream in = s.getInputStream();
                    byte[] head = in.readNBytes(12);
                    assertEquals("HTTP/1.1 200", new String(head, StandardCharsets.US_ASCII));
                }
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }

    /** tcp-request content use-service with a Lua AppletTCP. */
    @Test
    void tcpServiceEchoesLines() throws Exception {
        Path lua = script("echo.lua", """
                core.register_service("echo", "tcp", function(applet)
                  while true do
                    local line = applet:getline()
                    if line == "" then break end
                    if line == "quit\\n" then applet:send("bye\\n") return end
                    applet:send("echo: " .. line)
                  end
                end)
                """);
        try (InProcessProxy proxy = InProcessProxy.start("""
                log.target = none
                lua.load-per-thread = [ "%s" ]
                frontends.fe { bind = ["127.0.0.1:0"], mode = tcp, tcp-request = [ "content use-service lua.echo" ] }
                """.formatted(lua));
             Socket socket = new Socket("127.0.0.1", proxy.port("fe"))) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("hello\nworld\nquit\n".getBytes(StandardCharsets.US_ASCII));
            String all = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertEquals("echo: hello\necho: world\nbye\n", all);
        }
    }

    /** A runaway action is stopped at its timeout; the loop keeps serving meanwhile. */
    @Test
    void runawayActionIsStoppedWhileOthersAreServed() throws Exception {
        Path lua = script("spin.lua", """
                core.register_action("spin", { "http-req" }, function(txn)
                  if txn.f:path() == "/spin" then while true do end end
                end)
                """);
        try (TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     global.threads = 1
                     lua { load = [ "%s" ], session-timeout = 1500ms }
                     frontends.fe { bind = ["127.0.0.1:0"], http-request = [ "lua.spin" ], default-backend = app }
                     backends.app { servers { s = "%s" } }
                     """.formatted(lua, app.address()));
             TestClient spinner = new TestClient(proxy.port("fe"));
             TestClient other = new TestClient(proxy.port("fe"))) {
            for (int i = 0; i < 200; i++) {
                assertEquals(200, other.get("/warm-up").status());
            }
            spinner.send("GET /spin HTTP/1.1\r\nHost: h\r\n\r\n");
            Thread.sleep(100);
            long worst = 0;
            for (int i = 0; i < 10; i++) {
                long t = System.nanoTime();
                assertEquals(200, other.get("/ok").status());
                worst = Math.max(worst, System.nanoTime() - t);
            }
            assertTrue(worst < TimeUnit.MILLISECONDS.toNanos(500), "worst latency " + worst / 1_000_000 + " ms");
            // After its timeout the action fails, is logged, and the rules go on: the request is proxied.
            assertEquals(200, spinner.read().status());
        }
    }

    /** Filters, actions and fetches from both engines in one config, on 2 loops, under concurrency. */
    @Test
    void sharedAndPerThreadStatesTogetherUnderLoad() throws Exception {
        Path shared = script("shared.lua", """
                core.register_fetches("shared_tag", function(txn) return "s" .. txn.f:path():len() end)
                """);
        Path perThread = script("thread.lua", """
                core.register_action("thread_tag", { "http-req" }, function(txn)
                  txn.http:req_set_header("x-thread", tostring(core.thread > 0))
                  txn:set_priv((txn:get_priv() or 0) + 1)
                  txn.http:req_set_header("x-priv", txn:get_priv())
                end)
                """);
        try (TestUpstream app = TestUpstream.with("app", (request, connection, out) -> {
                TestUpstream.respond(out, 200, java.util.Map.of(), (request.header("x-shared") + "|" + request.header("x-thread")
                        + "|" + request.header("x-priv")).getBytes(StandardCharsets.UTF_8));
                return true;
             });
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     global { threads = 2, maxconn = 1000 }
                     lua { load = [ "%s" ], load-per-thread = [ "%s" ] }
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-request = [ "set-header X-Shared %%[lua.shared_tag]", "lua.thread_tag" ]
                       default-backend = app
                     }
                     backends.app { servers { s = "%s" } }
                     """.formatted(shared, perThread, app.address()))) {
            int port = proxy.port("fe");
            ExecutorService pool = Executors.newFixedThreadPool(64);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int c = 0; c < 64; c++) {
                    results.add(pool.submit(() -> {
                        int ok = 0;
                        try (TestClient client = new TestClient(port)) {
                            for (int i = 0; i < 100; i++) {
                                String path = "/p" + i;
                                Http.Message m = client.get(path);
                                String expected = "s" + path.length() + "|true|1";
                                if (m.status() == 200 && expected.equals(new String(m.body(), StandardCharsets.UTF_8))) {
                                    ok++;
                                }
                            }
                        }
                        return ok;
                    }));
                }
                int total = 0;
                for (Future<Integer> f : results) {
                    total += f.get(60, TimeUnit.SECONDS);
                }
                assertEquals(6400, total);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * An HTTP service streams the request body as HAProxy's applets do: it answers before the body
     * is complete and reads a body far larger than tune.bufsize with getline and receive(n).
     */
    @Test
    void httpServiceStreamsALargeRequestBody() throws Exception {
        Path lua = script("count.lua", """
                core.register_service("count", "http", function(applet)
                  applet:set_status(200)
                  applet:start_response()
                  applet:send("length=" .. applet.length .. " " .. tostring(applet):match("AppletHTTP$") .. "\\n")
                  local first = applet:getline()
                  applet:send("first=" .. first)
                  local lines, bytes = 1, #first
                  while true do
                    local line = applet:getline()
                    if line == "" then break end
                    lines = lines + 1
                    bytes = bytes + #line
                  end
                  applet:send("lines=" .. lines .. " bytes=" .. bytes .. " rest=[" .. applet:receive(10) .. "]\\n")
                end)
                """);
        StringBuilder rest = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            rest.append("line ").append(i).append(" of a body much larger than tune.bufsize\n");
        }
        String first = "the first line\n";
        int total = first.length() + rest.length();
        try (InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load-per-thread = [ "%s" ]
                     frontends.fe { bind = ["127.0.0.1:0"], http-request = [ "use-service lua.count" ], default-backend = none }
                     backends.none { servers { s = "127.0.0.1:1" } }
                     """.formatted(lua));
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: " + total + "\r\n\r\n" + first);
            // The answer starts while most of the body is still to come.
            Http.Message head = client.readHead();
            assertEquals(200, head.status());
            assertEquals("length=" + total + " AppletHTTP\n", chunk(client.in()));
            assertEquals("first=" + first, chunk(client.in()));
            client.send(rest.toString());
            assertEquals("lines=20001 bytes=" + total + " rest=[]\n", chunk(client.in()));
            assertEquals("", chunk(client.in()));
            // The connection is ready for the next request.
            client.send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nab\ncd");
            assertEquals(200, client.readHead().status());
            assertEquals("length=5 AppletHTTP\n", chunk(client.in()));
            assertEquals("first=ab\n", chunk(client.in()));
            assertEquals("lines=2 bytes=5 rest=[]\n", chunk(client.in()));
        }
    }

    /** A body held back for the rules (http-buffer-request), past tune.bufsize by a read, still streams to a service. */
    @Test
    void heldBackBodyStreamsToAServiceWhateverItsSize() throws Exception {
        Path lua = script("sum.lua", """
                core.register_service("sum", "http", function(applet)
                  local body = applet:receive()
                  applet:set_status(200)
                  applet:add_header("content-length", #tostring(#body))
                  applet:start_response()
                  applet:send(tostring(#body))
                end)
                """);
        try (InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     global.tune.bufsize = 16k
                     lua.load = [ "%s" ]
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-buffer-request = true
                       http-request = [ "use-service lua.sum" ]
                       default-backend = none
                     }
                     backends.none { servers { s = "127.0.0.1:1" } }
                     """.formatted(lua));
             TestClient client = new TestClient(proxy.port("fe"))) {
            StringBuilder chunked = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                chunked.append(Integer.toHexString(5000)).append("\r\n").append("x".repeat(5000)).append("\r\n");
            }
            chunked.append("0\r\n\r\n");
            client.send("POST /sum HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked);
            Http.Message m = client.read();
            assertEquals(200, m.status());
            assertEquals("40000", m.bodyText());
        }
    }

    /** core.get_info() holds HAProxy's "show info" fields that luagate has, from its own counters. */
    @Test
    void getInfoReportsTheProcessAndItsCounters() throws Exception {
        Path lua = script("info.lua", """
                core.register_service("info", "http", function(applet)
                  local i = core.get_info()
                  local text = table.concat({ i.Name, i.Nbthread, i.Nbproc, i.Process_num, tostring(i.Pid > 0),
                    tostring(i.Uptime_sec >= 0), tostring(i.Uptime:match("^%d+d %d+h%d%dm%d%ds$") ~= nil),
                    tostring(i.CurrConns >= 1), i.CumConns, i.CumReq }, " ")
                  applet:add_header("content-length", #text)
                  applet:start_response()
                  applet:send(text)
                end)
                """);
        try (InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     global.threads = 2
                     lua.load = [ "%s" ]
                     frontends.fe { bind = ["127.0.0.1:0"], http-request = [ "use-service lua.info" ], default-backend = none }
                     backends.none { servers { s = "127.0.0.1:1" } }
                     """.formatted(lua))) {
            for (int i = 0; i < 3; i++) {
                try (TestClient client = new TestClient(proxy.port("fe"))) {
                    assertEquals(200, client.get("/warm").status());
                }
            }
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                // Three connections and requests ended before; this one is open and its request runs
                // (the earlier connections' closes may not be seen yet: CurrConns is at least 1).
                // CumReq counts ended requests, and a request's end is recorded on its event loop,
                // maybe just after its client read the answer: ask (one more request each time)
                // until every earlier request is counted.
                for (int asked = 0; ; asked++) {
                    String expected = "luagate 2 1 1 true true true true 4 " + (3 + asked);
                    String text = client.get("/info").bodyText();
                    if (text.equals(expected) || asked == 49) {
                        assertEquals(expected, text);
                        break;
                    }
                    Thread.sleep(20);
                }
            }
        }
    }

    /** Reads one chunk of a chunked body ("" for the last one). */
    private static String chunk(InputStream in) throws Exception {
        int size = Integer.parseInt(Http.readLine(in).trim(), 16);
        byte[] data = in.readNBytes(size);
        assertEquals("", Http.readLine(in));
        return new String(data, StandardCharsets.UTF_8);
    }

    /** act.YIELD: HAProxy runs the action again from the start, after act.wake_time; the loop stays free meanwhile. */
    @Test
    void actYieldRunsTheActionAgainAfterWakeTime() throws Exception {
        Path lua = script("yield.lua", """
                core.register_action("poll", { "http-req" }, function(txn)
                  local tries = (txn:get_var("txn.tries") or 0) + 1
                  txn:set_var("txn.tries", tries)
                  if tries < 4 then
                    act.wake_time(200)
                    return act.YIELD
                  end
                  txn.http:req_set_header("x-tries", tries)
                end)
                """);
        try (TestUpstream app = TestUpstream.with("app", (request, connection, out) -> {
                TestUpstream.respond(out, 200, java.util.Map.of(), ("tries " + request.header("x-tries")).getBytes(StandardCharsets.UTF_8));
                return true;
             });
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     global.threads = 1
                     lua.load-per-thread = [ "%s" ]
                     frontends.fe { bind = ["127.0.0.1:0"], http-request = [ "lua.poll if { path /poll }" ], default-backend = app }
                     backends.app { servers { s = "%s" } }
                     """.formatted(lua, app.address()));
             TestClient polling = new TestClient(proxy.port("fe"));
             TestClient other = new TestClient(proxy.port("fe"))) {
            long start = System.nanoTime();
            polling.send("GET /poll HTTP/1.1\r\nHost: x\r\n\r\n");
            // The one loop serves another client while the action waits to run again: that answer comes
            // first, with nothing yet from the yielding request (its three waits take 600 ms).
            assertEquals(200, other.get("/other").status());
            assertEquals(0, polling.in().available(), "not held by the yielding action");
            Http.Message m = polling.read();
            assertEquals("tries 4", m.bodyText());
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(590), "three waits of 200 ms");
        }
    }

    @Test
    void badHttpClientTlsSettingsAreConfigErrors() throws Exception {
        Path lua = script("empty.lua", "core.register_fetches('x', function() return 1 end)\n");
        Path config = InProcessProxy.writeConfig("""
                lua { load = [ "%s" ], httpclient-ssl-verify = maybe }
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                backends.be { servers { s = "127.0.0.1:1" } }
                """.formatted(lua));
        List<ConfigProblem> problems = Luagate.check(ConfigLoader.load(config, InProcessProxy.distribution()),
                InProcessProxy.distribution()).list();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).toString().contains("httpclient-ssl-verify")
                && problems.get(0).toString().contains("must be required or none"), problems.toString());
        Path missing = InProcessProxy.writeConfig("""
                lua { load = [ "%s" ], httpclient-ca-file = "/nonexistent/ca.pem" }
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                backends.be { servers { s = "127.0.0.1:1" } }
                """.formatted(lua));
        problems = Luagate.check(ConfigLoader.load(missing, InProcessProxy.distribution()), InProcessProxy.distribution()).list();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).toString().contains("httpclient-ca-file")
                && problems.get(0).toString().contains("cannot read the CA file"), problems.toString());
    }

    @Test
    void checkReportsScriptSyntaxErrorsWithFileAndLine() throws Exception {
        Path lua = script("bad.lua", "core.register_fetches('x', function() return 1 end\n");
        Path config = InProcessProxy.writeConfig("""
                lua.load = [ "%s" ]
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                backends.be { servers { s = "127.0.0.1:1" } }
                """.formatted(lua));
        List<ConfigProblem> problems = Luagate.check(ConfigLoader.load(config, InProcessProxy.distribution()),
                InProcessProxy.distribution()).list();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).message().contains("bad.lua:2: ')' expected"), problems.get(0).toString());
    }
}
