package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code core.tcp()} and {@code core.httpclient()} as a user writes them: an http-req action asks
 * a line-based TCP service and an HTTP service before the request goes on to the backend, and a
 * Lua service answers with what the HTTP client fetched. Real distribution, real plugin jars.
 */
class LuaSocketIT {

    @TempDir
    Path dir;

    /** A line service on 127.0.0.1: answers "OK <line upper-cased>" to each line, counts connections. */
    private static final class LineService implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final ExecutorService threads = Executors.newCachedThreadPool();
        final AtomicInteger connections = new AtomicInteger();

        LineService() throws Exception {
            threads.execute(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        connections.incrementAndGet();
                        threads.execute(() -> serve(socket));
                    } catch (Exception e) {
                        return;
                    }
                }
            });
        }

        private void serve(Socket socket) {
            try (socket) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                String line;
                while ((line = Http.readLine(in)) != null) {
                    out.write(("OK " + line.toUpperCase() + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (Exception e) {
                // the client went away
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
            threads.shutdownNow();
        }
    }

    @Test
    void anActionAndAServiceTalkToOtherServersWithoutBlocking() throws Exception {
        Path lua = Files.writeString(dir.resolve("net.lua"), """
                core.register_action("enrich", { "http-req" }, function(txn, line_addr, api_addr)
                  local s = core.tcp()
                  s:settimeout(2)
                  local ok, err = s:connect(line_addr)
                  if not ok then
                    txn.http:req_set_header("X-Line", "error " .. err)
                    return
                  end
                  s:send(txn.f:path() .. "\\n")
                  local answer, rerr = s:receive("*l")
                  s:close()
                  txn.http:req_set_header("X-Line", answer or ("error " .. rerr))

                  local hc = core.httpclient()
                  local res = hc:get({ url = "http://" .. api_addr .. "/token?for=" .. txn.f:path(),
                                       headers = { ["X-Asked-By"] = { "luagate" } }, timeout = 2000 })
                  txn.http:req_set_header("X-Token", res.status .. " " .. res.body)
                end, 2)
                core.register_service("proxy_api", "http", function(applet)
                  local res = core.httpclient():post({ url = "http://" .. applet.headers["x-api"][0] .. "/echo",
                                                       body = "sent by lua" })
                  applet:set_status(res.status)
                  applet:add_header("x-upstream-type", res.headers["content-type"] and res.headers["content-type"][0] or "none")
                  applet:start_response()
                  applet:send(res.body)
                end)
                """);
        try (LineService line = new LineService();
             TestUpstream api = TestUpstream.with("api", (request, connection, out) -> {
                 String body = request.method().equals("POST")
                         ? "echo " + request.bodyText()
                         : "token-" + request.target().substring(request.target().indexOf('=') + 1) + " by " + request.header("x-asked-by");
                 TestUpstream.respond(out, 200, Map.of("Content-Type", "text/plain"), body.getBytes(StandardCharsets.UTF_8));
                 return true;
             });
             TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     global.threads = 1
                     lua.load = [ "%s" ]
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-request = [
                         "use-service lua.proxy_api if { path /api }",
                         "lua.enrich 127.0.0.1:%d %s"
                       ]
                       default-backend = app
                     }
                     backends.app { servers { s = "%s" } }
                     """.formatted(lua, line.server.getLocalPort(), api.address(), app.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            for (int i = 1; i <= 3; i++) {
                Http.Message response = client.get("/item" + i);
                assertEquals(200, response.status());
                Http.Message seen = app.connections().get(0).requests.get(i - 1);
                assertEquals("OK /ITEM" + i, seen.header("x-line"));
                assertEquals("200 token-/item" + i + " by luagate", seen.header("x-token"));
            }
            // One TCP connection per action (each script closes its socket); the HTTP client kept one.
            assertEquals(3, line.connections.get());
            assertEquals(1, api.connectionCount());

            client.send("GET /api HTTP/1.1\r\nHost: x\r\nX-Api: " + api.address() + "\r\n\r\n");
            Http.Message proxied = client.read();
            assertEquals(200, proxied.status());
            assertEquals("text/plain", proxied.header("x-upstream-type"));
            assertEquals("echo sent by lua", proxied.bodyText());
            assertTrue(api.requestCount() == 4, "requests at the api: " + api.requestCount());
        }
    }

    @Test
    void aDownServiceGivesTheScriptAnAnswerNotAHang() throws Exception {
        int closedPort;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = closed.getLocalPort();
        }
        Path lua = Files.writeString(dir.resolve("down.lua"), """
                core.register_action("probe", { "http-req" }, function(txn, addr)
                  local s = core.tcp()
                  local ok, err = s:connect(addr)
                  local res = core.httpclient():get({ url = "http://" .. addr .. "/" })
                  txn.http:req_set_header("X-Probe", tostring(ok) .. "/" .. tostring(err) .. "/" .. res.status)
                end, 1)
                """);
        try (TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load = [ "%s" ]
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-request = [ "lua.probe 127.0.0.1:%d" ]
                       default-backend = app
                     }
                     backends.app { servers { s = "%s" } }
                     """.formatted(lua, closedPort, app.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            assertEquals(200, client.get("/").status());
            assertEquals("nil/Can't connect/503", app.connections().get(0).requests.get(0).header("x-probe"));
        }
    }
}
