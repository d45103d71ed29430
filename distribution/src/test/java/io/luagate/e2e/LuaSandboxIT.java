package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The Lua sandbox through the real proxy (issue 10 §4): request objects a script keeps are dead
 * outside their own request, Map.new at run time finds loaded maps only, txn.f:env follows the
 * os.getenv policy, and act.YIELD / filter.WAIT re-runs share one session-timeout.
 */
class LuaSandboxIT {

    @TempDir
    Path dir;

    private static final String KEEPER = """
            local kept_txn, kept_http, kept_sf, kept_applet

            local function try(f)
              local ok, err = pcall(f)
              if ok then return "ok:" .. tostring(err) end
              return (tostring(err):find("belongs to a request that ended or to another stream", 1, true)) and "dead" or ("other:" .. tostring(err))
            end

            core.register_action("keep", { "http-req" }, function(txn)
              if txn.sf:path() == "/first" then
                kept_txn, kept_http, kept_sf = txn, txn.http, txn.sf
                -- The same request may use what it kept.
                txn:set_var("txn.probe", try(function() return kept_http:req_get_headers()["x-secret"][0] end))
              elseif txn.sf:path() == "/second" then
                local r = {
                  try(function() return kept_http:req_get_headers()["x-secret"][0] end),
                  try(function() return kept_sf:req_hdr("x-secret") end),
                  try(function() return kept_txn:get_var("txn.probe") end),
                  try(function() kept_txn.http:req_set_header("x-secret", "changed") end),
                  try(function() return kept_txn.f:path() end),
                }
                txn:set_var("txn.probe", table.concat(r, ","))
              end
            end)

            core.register_service("svc", "http", function(applet)
              local body
              if applet.path == "/svc-first" then
                kept_applet = applet
                body = "first"
              else
                body = try(function() kept_applet:send("INJECTED") end) .. "," ..
                       try(function() return kept_applet:get_var("txn.probe") end) .. "," ..
                       try(function() return kept_applet.f:src() end)
              end
              applet:set_status(200)
              applet:add_header("content-length", #body)
              applet:start_response()
              applet:send(body)
            end)
            """;

    /**
     * A TXN, its HTTP and Fetches objects and an AppletHTTP kept in upvalues by request 1 fail in
     * request 2 (same state: one per-thread state on one loop, or the shared state over two loops):
     * request 1's headers never reach request 2, and nothing reaches request 1's client.
     */
    @ParameterizedTest
    @ValueSource(strings = {"load-per-thread", "load"})
    void requestObjectsKeptByAScriptAreDeadInTheNextRequest(String mode) throws Exception {
        Path lua = Files.writeString(dir.resolve("keeper.lua"), KEEPER);
        try (TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.%s = [ "%s" ]
                     global.threads = %d
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-request = [ "lua.keep", "use-service lua.svc if { path_beg /svc- }" ]
                       http-response = [ "set-header x-probe %%[var(txn.probe)]" ]
                       default-backend = app
                     }
                     backends.app { servers { s = "%s" } }
                     """.formatted(mode, lua, mode.equals("load") ? 2 : 1, app.address()))) {
            int port = proxy.port("fe");
            try (TestClient first = new TestClient(port); TestClient second = new TestClient(port)) {
                first.send("GET /first HTTP/1.1\r\nHost: x\r\nX-Secret: s3cret\r\n\r\n");
                assertEquals("ok:s3cret", first.read().header("x-probe"));
                second.send("GET /second HTTP/1.1\r\nHost: x\r\nX-Secret: other\r\n\r\n");
                Http.Message probe = second.read();
                assertEquals("dead,dead,dead,dead,dead", probe.header("x-probe"));
                // The second request went on untouched.
                assertEquals("other", app.connections().stream().flatMap(c -> c.requests.stream())
                        .filter(r -> r.target().equals("/second")).findFirst().orElseThrow().header("x-secret"));

                first.send("GET /svc-first HTTP/1.1\r\nHost: x\r\nX-Secret: s3cret\r\n\r\n");
                assertEquals("first", first.read().bodyText());
                second.send("GET /svc-second HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("dead,dead,dead", second.read().bodyText());
                // Nothing was written into the first client's connection.
                first.socket().setSoTimeout(300);
                InputStream in = first.in();
                try {
                    int b = in.read();
                    assertEquals(-1, b, "the first client received a byte meant for nobody");
                } catch (SocketTimeoutException expected) {
                    // Nothing came: as it must.
                }
            }
        }
    }

    /**
     * Map.new at run time finds the maps init loaded (the same entries), never reads a file; at
     * init an endless file is refused. txn.f:env is refused as os.getenv is.
     */
    @Test
    void mapNewAtRunTimeOnlyFindsLoadedMapsAndEnvIsRefused() throws Exception {
        Path loaded = Files.writeString(dir.resolve("loaded.map"), "k loaded-value\n");
        Path other = Files.writeString(dir.resolve("other.map"), "k other-value\n");
        Path lua = Files.writeString(dir.resolve("maps.lua"), """
                local init_map = Map.new("%1$s", Map._str)
                local ok, err = pcall(Map.new, "/dev/zero", Map._str)
                local at_init = ok and "read" or (tostring(err):find("not a regular file", 1, true) and "refused" or tostring(err))
                core.register_action("maps", { "http-req" }, function(txn)
                  local r = { at_init, init_map:lookup("k") }
                  local ok2, m = pcall(Map.new, "%1$s", Map._str)
                  r[#r + 1] = ok2 and m:lookup("k") or ("error:" .. tostring(m))
                  ok2, m = pcall(Map.new, "%2$s", Map._str)
                  r[#r + 1] = ok2 and "read" or ((tostring(m):find("only finds the maps", 1, true)) and "refused" or tostring(m))
                  ok2, m = pcall(Map.new, "/dev/zero", Map._str)
                  r[#r + 1] = ok2 and "read" or "refused"
                  ok2, m = pcall(function() return txn.f:env("PATH") end)
                  r[#r + 1] = ok2 and ("env:" .. tostring(m)) or ((tostring(m):find("env is not allowed at run time", 1, true)) and "refused" or tostring(m))
                  txn:set_var("txn.maps", table.concat(r, ","))
                end)
                """.formatted(loaded, other));
        try (TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load = [ "%s" ]
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-request = [ "lua.maps" ]
                       http-response = [ "set-header x-maps %%[var(txn.maps)]" ]
                       default-backend = app
                     }
                     backends.app { servers { s = "%s" } }
                     """.formatted(lua, app.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            assertEquals("refused,loaded-value,loaded-value,refused,refused,refused", client.get("/").header("x-maps"));
        }
    }

    private static final String SPIN = """
            local function spin(ms)
              local t = core.now()
              local start = t.sec * 1000 + t.usec / 1000
              repeat
                local n = core.now()
              until n.sec * 1000 + n.usec / 1000 - start >= ms
            end
            """;

    /**
     * An action that spins 150 ms and returns act.YIELD every time is stopped once its re-runs used
     * session-timeout (1 s), and the rules go on, instead of holding its loop until the client's timeout.
     */
    @Test
    void actYieldReRunsShareOneSessionTimeout() throws Exception {
        Path lua = Files.writeString(dir.resolve("yield.lua"), SPIN + """
                core.register_action("forever", { "http-req" }, function(txn)
                  spin(150)
                  return act.YIELD
                end)
                """);
        try (TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load = [ "%s" ]
                     lua.session-timeout = 1s
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       timeout { client = 30s, http-request = 30s }
                       http-request = [ "lua.forever", "set-header x-after forever" ]
                       default-backend = app
                     }
                     backends.app { servers { s = "%s" } }
                     """.formatted(lua, app.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            long start = System.nanoTime();
            Http.Message m = client.get("/");
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(200, m.status());
            assertTrue(took >= 900 && took < 5_000, "the action ran " + took + " ms");
            assertEquals("forever", app.connections().get(0).requests.get(0).header("x-after"));
        }
    }

    /** The same for a filter step that spins and returns filter.WAIT every time: the stream fails at session-timeout. */
    @Test
    void filterWaitReRunsShareOneSessionTimeout() throws Exception {
        Path lua = Files.writeString(dir.resolve("wait.lua"), SPIN + """
                Spin = {}
                Spin.__index = Spin
                function Spin:new() return setmetatable({}, Spin) end
                function Spin:http_headers(txn, msg)
                  if msg.channel:is_resp() then return filter.CONTINUE end
                  spin(150)
                  return filter.WAIT
                end
                core.register_filter("spin", Spin, function(s) return s end)
                """);
        try (TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load = [ "%s" ]
                     lua.session-timeout = 1s
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       timeout { client = 30s, http-request = 30s }
                       filter = [ "lua.spin" ]
                       default-backend = app
                     }
                     backends.app { servers { s = "%s" } }
                     """.formatted(lua, app.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            long start = System.nanoTime();
            Http.Message m = client.get("/");
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(400, m.status());
            assertTrue(took >= 900 && took < 5_000, "the filter ran " + took + " ms");
            assertFalse(app.connections().stream().anyMatch(c -> !c.requests.isEmpty()), "the request reached the server");
        }
    }
}
