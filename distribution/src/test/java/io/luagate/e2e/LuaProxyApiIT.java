package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HAProxy's Proxy and Server classes end to end: a Lua service is an admin API that changes
 * servers and frontends of the running proxy, and real traffic through another frontend shows the
 * effect; {@code get_stats()} counts the real requests.
 */
class LuaProxyApiIT {

    /** The admin API: /admin/&lt;op&gt;?be=..&srv=..&fe=.. (all through HAProxy's Lua classes). */
    private static final String ADMIN = """
            local function query(applet)
              local args = {}
              for k, v in applet.qs:gmatch("([^&=]+)=([^&]*)") do
                args[k] = v:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end)
              end
              return args
            end
            local function dump(t)
              local keys = {}
              for k in pairs(t) do keys[#keys + 1] = k end
              table.sort(keys)
              local out = {}
              for _, k in ipairs(keys) do out[#out + 1] = k .. "=" .. tostring(t[k]) end
              return table.concat(out, "\\n")
            end
            core.register_service("admin", "http", function(applet)
              local a = query(applet)
              local op = applet.path:match("^/admin/(%w+)")
              local be = core.backends[a.be or "app"]
              local srv = a.srv and be.servers[a.srv]
              local fe = a.fe and core.frontends[a.fe]
              local body
              if op == "weight" then body = tostring(srv:set_weight(a.w)) .. " " .. srv:get_weight()
              elseif op == "drain" then srv:set_drain(); body = "draining " .. srv:is_draining()
              elseif op == "maint" then srv:set_maint(); body = "maint " .. srv:get_stats().status
              elseif op == "ready" then srv:set_ready(); body = "ready " .. srv:is_draining()
              elseif op == "addr" then body = srv:set_addr(a.ip, a.port) .. "|" .. srv:get_addr()
              elseif op == "shut" then srv:shut_sess(); body = "shut"
              elseif op == "stats" then body = dump(srv and srv:get_stats() or be:get_stats())
              elseif op == "festats" then body = dump(fe:get_stats())
              elseif op == "listeners" then
                local out = {}
                for name, ls in pairs(fe.listeners) do
                  local s = ls:get_stats()
                  out[#out + 1] = name .. " " .. s.addr .. " " .. s.status .. " " .. s.sid
                end
                table.sort(out)
                body = table.concat(out, "\\n")
              elseif op == "pause" then fe:pause(); body = "paused"
              elseif op == "resume" then fe:resume(); body = "resumed"
              elseif op == "stop" then fe:stop(); body = "stopped"
              elseif op == "stopbackend" then be:stop(); body = "not reached"
              else body = "unknown " .. tostring(op) end
              applet:set_status(200)
              applet:add_header("content-length", #body)
              applet:start_response()
              applet:send(body)
            end)
            """;

    @TempDir
    Path dir;

    private final Map<String, CountDownLatch> slow = new java.util.concurrent.ConcurrentHashMap<>();

    /** An upstream naming itself; /slow waits for the test, /missing is a 404, /reset closes without answering. */
    private TestUpstream upstream(String name) throws IOException {
        slow.put(name, new CountDownLatch(1));
        return TestUpstream.with(name, (request, connection, out) -> {
            switch (request.target()) {
                case "/slow" -> slow.get(name).await(20, TimeUnit.SECONDS);
                case "/missing" -> {
                    TestUpstream.respond(out, 404, Map.of("X-Served-By", name), new byte[0]);
                    return true;
                }
                case "/reset" -> {
                    return false;
                }
                default -> { }
            }
            TestUpstream.respond(out, 200, Map.of("X-Served-By", name), (name + " " + request.target()).getBytes());
            return true;
        });
    }

    /** @param servers HOCON server entries, one per line (a server's puid is its line's rank) */
    private InProcessProxy start(String servers) throws IOException {
        Path lua = Files.writeString(dir.resolve("admin.lua"), ADMIN);
        return InProcessProxy.start("""
                log.target = none
                global.threads = 2
                lua.load = [ "%s" ]
                frontends {
                  admin { bind = ["127.0.0.1:0"], http-request = [ "use-service lua.admin" ] }
                  fe { bind = ["127.0.0.1:0"], default-backend = app }
                  side { bind = ["127.0.0.1:0", "127.0.0.1:0"], default-backend = app }
                }
                backends.app { redispatch = true, servers {
                  %s
                } }
                """.formatted(lua, servers));
    }

    private static String admin(InProcessProxy proxy, String request) throws IOException {
        try (TestClient client = new TestClient(proxy.port("admin"))) {
            Http.Message answer = client.get("/admin/" + request);
            assertEquals(200, answer.status(), answer.bodyText());
            return answer.bodyText();
        }
    }

    private static Map<String, String> stats(InProcessProxy proxy, String request) throws IOException {
        Map<String, String> stats = new LinkedHashMap<>();
        for (String line : admin(proxy, request).split("\n")) {
            int eq = line.indexOf('=');
            stats.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return stats;
    }

    /** Stats are added when a stream ends, just after its response went out: read until they settle. */
    private static Map<String, String> statsWhen(InProcessProxy proxy, String request, Predicate<Map<String, String>> settled)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Map<String, String> stats = stats(proxy, request);
        while (!settled.test(stats) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            stats = stats(proxy, request);
        }
        return stats;
    }

    /** Sends {@code n} GETs on one keep-alive connection and counts who served them. */
    private static Map<String, Integer> served(TestClient client, int n) throws IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Http.Message m = client.get("/r" + i);
            assertEquals(200, m.status());
            counts.merge(m.header("x-served-by"), 1, Integer::sum);
        }
        return counts;
    }

    /** Which upstream received a /slow request, waiting for it to arrive. */
    private static TestUpstream receivedSlow(TestUpstream... upstreams) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (TestUpstream upstream : upstreams) {
                for (TestUpstream.Connection c : upstream.connections()) {
                    if (c.requests.stream().anyMatch(r -> r.target().equals("/slow"))) {
                        return upstream;
                    }
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no upstream received /slow");
    }

    @Test
    void weightDrainAndMaintenanceSteerRealTraffic() throws Exception {
        try (TestUpstream a = upstream("a"); TestUpstream b = upstream("b");
             InProcessProxy proxy = start("a = \"%s\"\n b = \"%s\"".formatted(a.address(), b.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            assertEquals(Map.of("a", 2, "b", 2), served(client, 4));

            // One connection stays on one event loop: its balancer takes the new weight at its next pick.
            assertEquals("nil 3", admin(proxy, "weight?srv=a&w=3"));
            assertEquals(Map.of("a", 6, "b", 2), served(client, 8));
            assertEquals("Absolute weight can only be between 0 and 256 inclusive. 3", admin(proxy, "weight?srv=a&w=300"));

            // Drain: the stream a server serves goes on; new requests go elsewhere.
            try (TestClient waiting = new TestClient(proxy.port("fe"))) {
                waiting.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
                TestUpstream victim = receivedSlow(a, b);
                String other = victim == a ? "b" : "a";
                assertEquals("draining 1", admin(proxy, "drain?srv=" + victim.name()));
                Map<String, String> drained = stats(proxy, "stats?srv=" + victim.name());
                assertEquals("DRAIN", drained.get("status"));
                assertEquals("1", drained.get("scur"), "the slow stream is still served");
                assertEquals(Map.of(other, 6), served(client, 6));
                slow.get(victim.name()).countDown();
                Http.Message finished = waiting.read();
                assertEquals(200, finished.status());
                assertEquals(victim.name(), finished.header("x-served-by"));
                assertEquals("0", statsWhen(proxy, "stats?srv=" + victim.name(), s -> s.get("scur").equals("0")).get("scur"));
                assertEquals("ready 0", admin(proxy, "ready?srv=" + victim.name()));
            }
            Map<String, Integer> back = served(client, 8);
            assertTrue(back.getOrDefault("a", 0) > 0 && back.getOrDefault("b", 0) > 0, back.toString());

            // Maintenance: like down, until ready again.
            assertEquals("maint MAINT", admin(proxy, "maint?srv=b"));
            assertEquals("1", stats(proxy, "stats").get("act"));
            assertEquals(Map.of("a", 6), served(client, 6));
            assertEquals("ready 0", admin(proxy, "ready?srv=b"));
            assertEquals("nil 1", admin(proxy, "weight?srv=a&w=100%25"));
            assertEquals(Map.of("a", 2, "b", 2), served(client, 4));
            assertEquals("no check", stats(proxy, "stats?srv=b").get("status"));
        }
    }

    @Test
    void getStatsCountsRealRequests() throws Exception {
        try (TestUpstream a = upstream("a"); TestUpstream b = upstream("b");
             InProcessProxy proxy = start("a = \"%s\"\n b = \"%s\"".formatted(a.address(), b.address()))) {
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                served(client, 6);
                client.send("POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(1000));
                assertEquals(200, client.read().status());
                assertEquals(404, client.get("/missing").status());
            }
            try (TestClient bad = new TestClient(proxy.port("fe"))) {
                bad.send("GET / HTTP/x.y\r\nHost: x\r\n\r\n");
                assertEquals(400, bad.read().status());
            }
            Map<String, String> fe = statsWhen(proxy, "festats?fe=fe",
                    s -> s.get("req_tot").equals("9") && s.get("scur").equals("0"));
            assertEquals("FRONTEND", fe.get("svname"));
            assertEquals("OPEN", fe.get("status"));
            assertEquals("9", fe.get("req_tot"));
            assertEquals("7", fe.get("hrsp_2xx"));
            assertEquals("2", fe.get("hrsp_4xx"));
            assertEquals("1", fe.get("ereq"));
            assertEquals("2", fe.get("stot"));
            assertEquals("0", fe.get("scur"));
            // Every byte the requests brought, heads included (HAProxy's bin), the bad one's too:
            // 6 GETs of 32 bytes, the POST (54 + 1000), /missing (37), the bad request (27).
            assertEquals(String.valueOf(6 * 32 + 1054 + 37 + 27), fe.get("bin"), fe.toString());
            assertTrue(Long.parseLong(fe.get("bout")) > 8 * 40, fe.toString());

            Map<String, String> app = statsWhen(proxy, "stats", s -> s.get("req_tot").equals("8"));
            assertEquals("BACKEND", app.get("svname"));
            assertEquals("UP", app.get("status"));
            assertEquals("2", app.get("act"));
            assertEquals("8", app.get("req_tot"));
            assertEquals("8", app.get("stot"));
            assertEquals("7", app.get("hrsp_2xx"));
            assertEquals("1", app.get("hrsp_4xx"));
            assertEquals("0", app.get("econ"));
            Map<String, String> sa = stats(proxy, "stats?srv=a");
            Map<String, String> sb = stats(proxy, "stats?srv=b");
            assertEquals(8, Integer.parseInt(sa.get("req_tot")) + Integer.parseInt(sb.get("req_tot")));
            assertEquals(sa.get("req_tot"), sa.get("stot"));
            assertEquals("no check", sa.get("status"));
            assertEquals(a.address(), sa.get("addr"));
            assertEquals("1", sa.get("sid"));
            assertEquals("2", sb.get("sid"));
            assertEquals(Long.parseLong(app.get("bout")),
                    Long.parseLong(sa.get("bout")) + Long.parseLong(sb.get("bout")));

            // A server that closes without answering: 502 and one response error, on its server and backend.
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                assertEquals(502, client.get("/reset").status());
            }
            Map<String, String> broken = statsWhen(proxy, "stats", s -> s.get("eresp").equals("1"));
            assertEquals("1", broken.get("eresp"));
            assertEquals(1, Integer.parseInt(stats(proxy, "stats?srv=a").get("eresp"))
                    + Integer.parseInt(stats(proxy, "stats?srv=b").get("eresp")));

            // A server moved to a closed port: failed connects are counted, the retries reach the other one.
            int closed;
            try (ServerSocket gone = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                closed = gone.getLocalPort();
            }
            assertTrue(admin(proxy, "addr?srv=a&ip=127.0.0.1&port=" + closed).endsWith("|127.0.0.1:" + closed));
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                assertEquals(Map.of("b", 4), served(client, 4));
            }
            Map<String, String> failing = statsWhen(proxy, "stats?srv=a", s -> !s.get("econ").equals("0"));
            assertTrue(Integer.parseInt(failing.get("econ")) >= 1, failing.toString());
            assertEquals(failing.get("econ"), statsWhen(proxy, "stats", s -> s.get("econ").equals(failing.get("econ"))).get("econ"));
        }
    }

    @Test
    void setAddrMovesTrafficAndShutSessKillsWhatAServerServes() throws Exception {
        try (TestUpstream a = upstream("a"); TestUpstream b = upstream("b"); TestUpstream c = upstream("c");
             InProcessProxy proxy = start("a = \"%s\"\n b = \"%s\"".formatted(a.address(), b.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            assertEquals("no need to change the addr, port changed from '" + a.port() + "' to '" + c.port()
                    + "' by 'Lua script'|" + c.address(), admin(proxy, "addr?srv=a&ip=127.0.0.1&port=" + c.port()));
            assertEquals(Map.of("b", 3, "c", 3), served(client, 6));
            assertEquals(0, a.requestCount());

            try (TestClient waiting = new TestClient(proxy.port("fe"))) {
                waiting.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
                TestUpstream got = receivedSlow(b, c);
                String server = got == c ? "a" : "b";
                assertEquals("1", stats(proxy, "stats?srv=" + server).get("scur"));
                assertEquals("shut", admin(proxy, "shut?srv=" + server));
                assertTrue(waiting.closedByServer(5000), "the stream of the server was killed");
                assertEquals("0", statsWhen(proxy, "stats?srv=" + server, s -> s.get("scur").equals("0")).get("scur"));
                slow.get(got.name()).countDown();
            }
            // The other connection is not that server's stream now: it goes on.
            assertEquals(200, client.get("/after").status());
        }
    }

    @Test
    void frontendsPauseResumeAndStop() throws Exception {
        try (TestUpstream a = upstream("a");
             InProcessProxy proxy = start("a = \"%s\"".formatted(a.address()))) {
            List<InetSocketAddress> side = proxy.luagate().addresses("side").stream().distinct().toList();
            int first = side.get(0).getPort();
            int second = side.get(side.size() - 1).getPort();
            assertTrue(first != second);
            assertEquals("sock-1 127.0.0.1:" + first + " OPEN 1\nsock-2 127.0.0.1:" + second + " OPEN 2",
                    admin(proxy, "listeners?fe=side"));

            assertEquals("paused", admin(proxy, "pause?fe=side"));
            // The sockets close on their own loops just after: then the ports are released.
            waitRefused(first);
            waitRefused(second);
            try (TestClient other = new TestClient(proxy.port("fe"))) {
                assertEquals(200, other.get("/still").status());
            }
            assertEquals("OPEN", stats(proxy, "festats?fe=side").get("status"), "HAProxy 2.6 shows a paused frontend OPEN");

            assertEquals("resumed", admin(proxy, "resume?fe=side"));
            for (int port : new int[] {first, second}) {
                try (TestClient client = connectWhenBack(port)) {
                    assertEquals(200, client.get("/back").status());
                }
            }

            assertEquals("stopped", admin(proxy, "stop?fe=side"));
            waitRefused(first);
            assertEquals("resumed", admin(proxy, "resume?fe=side"));
            Thread.sleep(200);
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", first).close());
            assertEquals("STOP", stats(proxy, "festats?fe=side").get("status"));

            // A backend cannot be stopped: the service fails, as a failing HAProxy service does (500).
            try (TestClient client = new TestClient(proxy.port("admin"))) {
                assertEquals(500, client.get("/admin/stopbackend").status());
            }
        }
    }

    private static void waitRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                Thread.sleep(20);
            } catch (ConnectException e) {
                return;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("port " + port + " still accepts connections");
    }

    private static TestClient connectWhenBack(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                return new TestClient(port);
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
