package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Lua makes on the response path, checked against HAProxy 2.6.12: services and txn:reply
 * answer an HTTP/1.0 client in HTTP/1.0; a service's response goes through http-response rules
 * and response filters; a filter that removes a Content-Length still gets the body through.
 */
class LuaResponsePathIT {

    @TempDir
    Path dir;

    private static final String SCRIPT = """
            core.register_service("svc", "http", function(applet)
              applet:set_status(200)
              applet:add_header("x-ver", applet.version)
              applet:start_response()
              applet:send("hello")
            end)
            core.register_service("svclen", "http", function(applet)
              applet:set_status(200)
              applet:add_header("content-length", "5")
              applet:start_response()
              applet:send("hello")
            end)
            core.register_action("reply", { "http-req" }, function(txn)
              txn:done(txn:reply({ status = 201, body = "rep" }))
            end)
            core.register_action("waitres", { "http-res" }, function(txn)
              core.msleep(50)
              txn.http:res_set_header("x-waited", tostring(txn:get_var("req.x")))
            end)

            Tag = {}
            Tag.id = "tag"
            Tag.flags = filter.FLT_CFG_FL_HTX
            Tag.__index = Tag
            function Tag:new() return setmetatable({}, Tag) end
            function Tag:start_analyze(txn, chn)
              filter.register_data_filter(self, chn)
            end
            function Tag:http_headers(txn, msg)
              if msg:is_resp() then
                msg:add_header("x-filter-saw", tostring(msg:get_stline().code))
              else
                txn:set_var("txn.p", txn.f:path())
                msg:set_header("x-stline", msg:get_stline().version)
                if txn.f:path():find("rmcl") then msg:del_header("content-length") end
              end
            end
            function Tag:http_payload(txn, msg)
              local p = txn:get_var("txn.p")
              if msg:is_resp() then
                -- The request's http_headers ran for the service too (txn.p is set), as in HAProxy.
                local body = msg:body()
                if p == "/svc" and body then msg:set(body:upper()) end
              elseif p == "/rmcl-grow" then
                msg:set("REWRITTEN-BODY")
              end
            end
            core.register_filter("tag", Tag, function(f, args) return f end)
            """;

    private InProcessProxy start(String server) throws Exception {
        Path lua = Files.writeString(dir.resolve("path.lua"), SCRIPT);
        return InProcessProxy.start("""
                log.target = none
                lua.load = [ "%s" ]
                frontends.fe {
                  bind = ["127.0.0.1:0"]
                  http-request = [
                    "set-var(req.x) str(reqval)",
                    "use-service lua.svc if { path /svc }",
                    "use-service lua.svclen if { path /svclen }",
                    "lua.reply if { path /reply }"
                  ]
                  http-response = [ "lua.waitres", "set-header x-fe-res 1" ]
                  default-backend = app
                }
                frontends.filtered {
                  bind = ["127.0.0.1:0"]
                  filter = [ "lua.tag" ]
                  http-request = [ "use-service lua.svc if { path /svc }" ]
                  default-backend = app
                }
                backends.app {
                  servers { s = "%s" }
                  http-request = [ "use-service lua.svclen if { path /be-svc }" ]
                  http-response = [ "set-header x-be-res 1" ]
                }
                """.formatted(lua, server));
    }

    @Test
    void luaAnswersAnHttp10ClientInHttp10AndAppletVersionIsTheRequestsToken() throws Exception {
        try (TestUpstream app = TestUpstream.named("app"); InProcessProxy proxy = start(app.address())) {
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                client.send("GET /svc HTTP/1.0\r\n\r\n");
                String raw = new String(client.in().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(raw.startsWith("HTTP/1.0 200 OK\r\n"), raw);
                assertTrue(raw.contains("\r\nx-ver: HTTP/1.0\r\n"), raw);
                assertFalse(raw.toLowerCase().contains("connection:"), raw);
                assertTrue(raw.endsWith("\r\n\r\nhello"), raw);
            }
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                client.send("GET /reply HTTP/1.0\r\n\r\n");
                String raw = new String(client.in().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(raw.startsWith("HTTP/1.0 201 Created\r\n"), raw);
                assertFalse(raw.toLowerCase().contains("connection:"), raw);
                assertTrue(raw.endsWith("\r\n\r\nrep"), raw);
            }
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                client.send("GET /svclen HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                Http.Message first = client.read();
                assertTrue(first.startLine().startsWith("HTTP/1.0 200"), first.startLine());
                assertEquals("keep-alive", first.header("connection"));
                client.send("GET /svclen HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                assertEquals("hello", client.read().bodyText());
            }
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                Http.Message svc = client.get("/svc");
                assertTrue(svc.startLine().startsWith("HTTP/1.1 200"), svc.startLine());
                assertEquals("HTTP/1.1", svc.header("x-ver"));
            }
        }
    }

    @Test
    void aServicesResponseGoesThroughTheResponseRulesAndFilters() throws Exception {
        try (TestUpstream app = TestUpstream.named("app"); InProcessProxy proxy = start(app.address())) {
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                Http.Message svc = client.get("/svc");
                assertEquals("hello", svc.bodyText());
                // The Lua response action waited, and still saw req.x (no server was asked for).
                assertEquals("reqval", svc.header("x-waited"));
                assertEquals("1", svc.header("x-fe-res"));
                assertNull(svc.header("x-be-res"));
                // A service in the backend: both lists.
                Http.Message be = client.get("/be-svc");
                assertEquals("hello", be.bodyText());
                assertEquals("1", be.header("x-be-res"));
                assertEquals("1", be.header("x-fe-res"));
                // A server's response: req.x is gone in the response rules.
                Http.Message server = client.get("/srv");
                assertEquals("nil", server.header("x-waited"));
            }
            try (TestClient client = new TestClient(proxy.port("filtered"))) {
                Http.Message svc = client.get("/svc");
                assertEquals("200", svc.header("x-filter-saw"));
                assertEquals("HELLO", svc.bodyText());
            }
            assertEquals(1, app.requestCount());
        }
    }

    @Test
    void aFilterThatRemovesTheContentLengthStillSendsTheBodyChunked() throws Exception {
        try (TestUpstream app = TestUpstream.with("app", (request, connection, out) -> {
                TestUpstream.respond(out, 200, Map.of(), ("cl=" + request.header("content-length") + " te="
                        + request.header("transfer-encoding") + " body=" + request.bodyText() + " stline="
                        + request.header("x-stline") + " sent=" + request.startLine()).getBytes(StandardCharsets.UTF_8));
                return true;
             });
             InProcessProxy proxy = start(app.address())) {
            try (TestClient client = new TestClient(proxy.port("filtered"))) {
                for (String[] c : new String[][] {
                        {"/rmcl-grow", "cl=null te=chunked body=REWRITTEN-BODY stline=HTTP/1.1 sent=POST /rmcl-grow HTTP/1.1"},
                        {"/rmcl", "cl=null te=chunked body=hello-body stline=HTTP/1.1 sent=POST /rmcl HTTP/1.1"}}) {
                    client.send("POST " + c[0] + " HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello-body");
                    Http.Message response = client.read();
                    assertEquals(200, response.status(), c[0]);
                    assertEquals(c[1], response.bodyText(), c[0]);
                }
            }
            try (TestClient client = new TestClient(proxy.port("filtered"))) {
                // get_stline() gives an HTTP/1.0 request's own version; the server still gets HTTP/1.1.
                client.send("POST /rmcl HTTP/1.0\r\nContent-Length: 10\r\n\r\nhello-body");
                assertEquals("cl=null te=chunked body=hello-body stline=HTTP/1.0 sent=POST /rmcl HTTP/1.1",
                        client.read().bodyText());
            }
        }
    }

    /** HTTPMessage offsets and lengths, each call's result as HAProxy 2.6.12 gave it for the body "0123456789". */
    @Test
    void httpMessageOffsetsAndLengthsAsInHaproxy() throws Exception {
        Path lua = Files.writeString(dir.resolve("offsets.lua"), """
                O = {}
                O.id = "offsets"
                O.flags = filter.FLT_CFG_FL_HTX
                O.__index = O
                function O:new() return setmetatable({ notes = {} }, O) end
                function O:start_analyze(txn, chn)
                  if chn:is_resp() then filter.register_data_filter(self, chn) end
                end
                local function try(self, name, f, ...)
                  local r = table.pack(pcall(f, ...))
                  local out = {}
                  for i = 1, r.n do out[#out + 1] = tostring(r[i]) end
                  table.insert(self.notes, name .. "=" .. table.concat(out, " "))
                end
                function O:http_payload(txn, msg)
                  if msg:input() == 0 or #self.notes > 0 then return end
                  try(self, "body(2,3)", msg.body, msg, 2, 3)
                  try(self, "body(-3)", msg.body, msg, -3)
                  try(self, "body(20)", msg.body, msg, 20)
                  try(self, "body(-20)", msg.body, msg, -20)
                  try(self, "body(2,-1)", msg.body, msg, 2, -1)
                  try(self, "body(2,0)", msg.body, msg, 2, 0)
                  try(self, "body(2,100)", msg.body, msg, 2, 100)
                  try(self, "body(2,-5)", msg.body, msg, 2, -5)
                  try(self, "insert(X,20)", msg.insert, msg, "X", 20)
                  try(self, "insert(X,-20)", msg.insert, msg, "X", -20)
                  try(self, "insert(X,-1)", msg.insert, msg, "X", -1)
                  try(self, "body", msg.body, msg)
                  try(self, "remove(20)", msg.remove, msg, 20)
                  try(self, "remove(-20,1)", msg.remove, msg, -20, 1)
                  try(self, "remove(-1)", msg.remove, msg, -1)
                  try(self, "body", msg.body, msg)
                  try(self, "remove(2,100)", msg.remove, msg, 2, 100)
                  try(self, "set(Y,20)", msg.set, msg, "Y", 20)
                  try(self, "set(Y,-20)", msg.set, msg, "Y", -20)
                  try(self, "set(YY,1,1)", msg.set, msg, "YY", 1, 1)
                  try(self, "body", msg.body, msg)
                  try(self, "set(Z,0,-1)", msg.set, msg, "Z", 0, -1)
                  msg:append("|" .. table.concat(self.notes, ";"))
                end
                core.register_filter("offsets", O, function(f, args) return f end)
                """);
        try (TestUpstream app = TestUpstream.with("app", (request, connection, out) -> {
                TestUpstream.respond(out, 200, Map.of(), "0123456789".getBytes(StandardCharsets.UTF_8));
                return true;
             });
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load = [ "%s" ]
                     frontends.fe { bind = ["127.0.0.1:0"], filter = [ "lua.offsets" ], default-backend = app }
                     backends.app { servers { s = "%s" } }
                     """.formatted(lua, app.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            assertEquals("Z|body(2,3)=true 234;body(-3)=true 789;body(20)=false offset out of range.;"
                    + "body(-20)=true 0123456789;body(2,-1)=true 23456789;body(2,0)=true nil;body(2,100)=true 23456789;"
                    + "body(2,-5)=false length out of range.;insert(X,20)=false offset out of range.;"
                    + "insert(X,-20)=true 1;insert(X,-1)=true 1;body=true X012345678X9;"
                    + "remove(20)=false offset out of range.;remove(-20,1)=true 1;remove(-1)=true 1;"
                    + "body=true 012345678X;remove(2,100)=false length out of range.;set(Y,20)=false offset out of range.;"
                    + "set(Y,-20)=true 1;set(YY,1,1)=false length out of range.;body=true Y;set(Z,0,-1)=true 1",
                    client.get("/").bodyText());
        }
    }

    @Test
    void aRuleThatRemovesTheContentLengthStillSendsTheBodyChunked() throws Exception {
        try (TestUpstream app = TestUpstream.with("app", (request, connection, out) -> {
                TestUpstream.respond(out, 200, Map.of(), ("cl=" + request.header("content-length") + " te="
                        + request.header("transfer-encoding") + " body=" + request.bodyText()).getBytes(StandardCharsets.UTF_8));
                return true;
             });
             InProcessProxy proxy = InProcessProxy.start(InProcessProxy.oneBackend(app.address(),
                     "http-request = [ \"del-header content-length\" ]"));
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello-body");
            assertEquals("cl=null te=chunked body=hello-body", client.read().bodyText());
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("cl=null te=null body=", client.read().bodyText());
        }
    }
}
