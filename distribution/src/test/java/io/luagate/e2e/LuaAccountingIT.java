package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-function accounting ({@code lua.accounting}) end to end: traffic through Lua actions,
 * fetches, converters and services of both engines on two loops, read back from the Prometheus
 * exporter's lines.
 */
class LuaAccountingIT {

    @TempDir
    Path dir;

    private static final String SHARED = """
            local function spin_ms(ms)
              local t = core.now()
              local start = t.sec * 1000 + t.usec / 1000
              repeat t = core.now() until t.sec * 1000 + t.usec / 1000 - start >= ms
            end
            core.register_init(function() end)
            core.register_action("tag", { "http-req" }, function(txn)
              txn.http:req_set_header("x-tag", "1")
            end)
            core.register_action("tag", { "http-res" }, function(txn)
              txn.http:res_set_header("x-tag", "2")
            end)
            core.register_action("work", { "http-req" }, function(txn)
              local t = {}
              for i = 1, 2000 do t[i] = "v" .. i end
              spin_ms(2)
            end)
            -- A fetch cannot yield: it holds the shared state for its whole run.
            core.register_fetches("hold", function() spin_ms(30) return "h" end)
            core.register_action("boom", { "http-req" }, function(txn) error("boom") end)
            core.register_action("spin", { "http-req" }, function(txn) while true do end end)
            core.register_converters("up", function(s) return s:upper() end)
            core.register_service("hello", "http", function(applet)
              applet:set_status(200)
              applet:add_header("content-length", "5")
              applet:start_response()
              applet:send("hello")
            end)
            """;

    private static final String PER_THREAD = """
            core.register_fetches("pick", function(txn) return "p" end)
            """;

    private InProcessProxy start(TestUpstream app, String luaKeys) throws Exception {
        Files.writeString(dir.resolve("shared.lua"), SHARED);
        Files.writeString(dir.resolve("thread.lua"), PER_THREAD);
        return InProcessProxy.start("""
                log.target = none
                global.threads = 2
                lua { load = [ "%s" ], load-per-thread = [ "%s" ], session-timeout = 300ms %s }
                frontends.fe {
                  # One bind per loop, so the clients surely meet on both (SO_REUSEPORT's hash may not spread them).
                  bind = [ { address = "127.0.0.1:0", thread = 1 }, { address = "127.0.0.1:0", thread = 2 } ]
                  http-request = [
                    "use-service prometheus-exporter if { path /metrics }",
                    "use-service lua.hello if { path /hello }",
                    "lua.tag",
                    "lua.work if { path /work }",
                    "lua.boom if { path /boom }",
                    "lua.spin if { path /spin }",
                    "set-header x-pick %%[lua.pick,lua.up]",
                    "set-header x-hold %%[lua.hold] if { path /hold }"
                  ]
                  http-response = [ "lua.tag" ]
                  default-backend = app
                }
                backends.app { servers { s = "%s" } }
                """.formatted(dir.resolve("shared.lua"), dir.resolve("thread.lua"), luaKeys, app.address()));
    }

    @Test
    void prometheusShowsEveryRegisteredFunctionWithItsFigures() throws Exception {
        try (TestUpstream app = TestUpstream.named("app"); InProcessProxy proxy = start(app, "")) {
            int port = proxy.port("fe");
            int secondLoopPort = proxy.luagate().addresses("fe").get(1).getPort();
            // Four clients at once, two on each loop: the shared state's lock is contended, surely
            // so by the 30 ms runs of fetch "hold".
            ExecutorService clients = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                CyclicBarrier together = new CyclicBarrier(4);
                for (int c = 0; c < 4; c++) {
                    int clientPort = c % 2 == 0 ? port : secondLoopPort;
                    done.add(clients.submit(() -> {
                        try (TestClient client = new TestClient(clientPort)) {
                            for (int i = 0; i < 10; i++) {
                                Http.Message reply = client.get("/work");
                                assertEquals(200, reply.status());
                                assertEquals("2", reply.header("x-tag"));
                            }
                            for (int i = 0; i < 2; i++) {
                                together.await(10, TimeUnit.SECONDS);
                                assertEquals(200, client.get("/hold").status());
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                clients.shutdownNow();
            }
            String text;
            try (TestClient client = new TestClient(port)) {
                assertEquals("hello", client.get("/hello").bodyText());
                assertEquals(200, client.get("/boom").status());
                assertEquals(200, client.get("/boom").status());
                // The runaway action is stopped at lua.session-timeout and the rules go on.
                assertEquals(200, client.get("/spin").status());
                assertEquals("P", app.connections().get(0).requests.get(0).header("x-pick"));
                text = client.get("/metrics").bodyText();
            }
            // 40 /work, 8 /hold, 2 /boom, 1 /spin: 51 requests through the request rules after the services.
            assertEquals(51, value(text, "luagate_lua_function_calls_total", "tag (http-req)", "action"), text);
            // The response rules may run on the services' answers too (the scrape's own is not counted yet).
            double responses = value(text, "luagate_lua_function_calls_total", "tag (http-res)", "action");
            assertTrue(responses >= 51 && responses <= 52, text);
            assertEquals(40, value(text, "luagate_lua_function_calls_total", "work", "action"), text);
            assertEquals(51, value(text, "luagate_lua_function_calls_total", "pick", "fetch"), text);
            assertEquals(51, value(text, "luagate_lua_function_calls_total", "up", "converter"), text);
            assertEquals(8, value(text, "luagate_lua_function_calls_total", "hold", "fetch"), text);
            assertEquals(1, value(text, "luagate_lua_function_calls_total", "hello", "service"), text);
            // An init function has no name: it is known by where it is defined, as Lua names the chunk.
            assertTrue(text.lines().anyMatch(l -> l.matches(
                    "luagate_lua_function_calls_total\\{function=\"[^\"]*/shared\\.lua:6\",kind=\"init\"} 1\\.0")), text);

            assertEquals(2, value(text, "luagate_lua_function_errors_total", "boom", "action"), text);
            assertEquals(0, value(text, "luagate_lua_function_timeouts_total", "boom", "action"), text);
            assertEquals(1, value(text, "luagate_lua_function_timeouts_total", "spin", "action"), text);
            assertEquals(0, value(text, "luagate_lua_function_errors_total", "spin", "action"), text);
            assertEquals(0, value(text, "luagate_lua_function_errors_total", "work", "action"), text);

            // 40 calls spinning 2 ms each on the wall clock; the runaway one ran its whole 300 ms.
            double work = value(text, "luagate_lua_function_run_seconds_total", "work", "action");
            assertTrue(work >= 0.075 && work < 5, "work ran " + work + " s");
            assertTrue(value(text, "luagate_lua_function_run_seconds_total", "spin", "action") >= 0.3, text);
            // 2,000 strings and a table per call, counted on one call in 16 and scaled.
            double allocated = value(text, "luagate_lua_function_allocated_bytes_total", "work", "action");
            // With lua.suspension = thread an action runs on a virtual thread, which counts nothing: no line.
            if (text.contains("luagate_lua_function_allocated_bytes_total{function=\"work\"")) {
                assertTrue(allocated > 40 * 50_000.0, "work allocated " + allocated);
            }
            // A fetch runs on its loop's own thread with either suspension.
            assertTrue(value(text, "luagate_lua_function_allocated_bytes_total", "pick", "fetch") > 0, text);
            assertTrue(text.contains("# TYPE luagate_lua_lock_wait_seconds_total counter"), text);
            assertTrue(value(text, "luagate_lua_lock_waits_total", null, null) >= 1, text);
            assertTrue(value(text, "luagate_lua_lock_wait_seconds_total", null, null) >= 0.005, text);
            assertTrue(value(text, "luagate_lua_lock_wait_max_seconds", null, null) >= 0.005, text);
        }
    }

    @Test
    void accountingOffLeavesTheFunctionsOut() throws Exception {
        try (TestUpstream app = TestUpstream.named("app"); InProcessProxy proxy = start(app, ", accounting = false");
             TestClient client = new TestClient(proxy.port("fe"))) {
            assertEquals(200, client.get("/work").status());
            String text = client.get("/metrics").bodyText();
            assertFalse(text.contains("luagate_lua_function_"), text);
        }
    }

    /**
     * The value of one series: {@code metric{function="...",kind="..."}} (labels in Prometheus'
     * order, by name), or the unlabelled {@code metric} when {@code function} is null; -1 when absent.
     */
    private static double value(String text, String metric, String function, String kind) {
        String series = function == null ? metric
                : metric + "{function=\"" + function + "\",kind=\"" + kind + "\"}";
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
