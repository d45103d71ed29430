package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lua API where it was measured against HAProxy 2.6.12 (issue 9): reply reason phrases,
 * argument checks, header value replacement, one action name per rule list and a service's
 * private value. Every expected value
 * here is what the real HAProxy answered to the same script.
 */
class LuaApiParityIT {

    @TempDir
    Path dir;

    private static final String SCRIPT = """
            local function try(f)
              local ok, e = pcall(f)
              return (tostring(e):gsub("^.-:%d+: ", ""))
            end
            core.register_action("reply", { "http-req" }, function(txn)
              local m = txn.f:req_hdr("x-m")
              if m == "init" then txn:done(txn:reply{ status = 404, reason = "Nope Here" }) end
              if m == "set" then local r = txn:reply(); r:set_status(403, "Go Away"); txn:done(r) end
              if m == "default" then local r = txn:reply(); r:set_status(408); txn:done(r) end
              if m == "empty" then local r = txn:reply{ status = 404 }; r.reason = ""; txn:done(r) end
              if m == "number" then local r = txn:reply{ status = 404 }; r.reason = 42; txn:done(r) end
              if m == "class" then txn:done(txn:reply{ status = 299 }) end
              if m == "read" then
                local r = txn:reply{ status = 504 }
                local before = r.reason
                r:set_status(302)
                txn:done(txn:reply{ status = 200, body = before .. "|" .. r.reason })
              end
            end)
            core.register_action("args", { "http-req" }, function(txn)
              local h = txn.http
              txn.http:req_set_header("x-e1", try(function() h:req_set_header("x-a", nil) end))
              txn.http:req_set_header("x-e2", try(function() txn:deflog() end))
              txn.http:req_set_header("x-e3", try(function() h:req_add_header("a") end))
              txn.http:req_set_header("x-e4", try(function() txn:log(9, "x") end))
              txn.http:req_set_header("x-e5", try(function() txn:set_var("txn.a") end))
              txn.http:req_set_header("x-e6", try(function() h:req_rep_value("a", "b") end))
              local r = txn:reply()
              txn.http:req_set_header("x-e7", try(function() r:set_status("abc") end))
              txn.http:req_set_header("x-e8", try(function() r:add_header("x", nil) end))
              txn.http:req_set_header("x-ret", tostring(r:add_header("a", "b")) .. tostring(r:del_header("a"))
                .. tostring(r:set_body("x")) .. tostring(r:set_status(201)))
              txn.http:req_set_header("x-num", 12)
              txn.http:req_rep_value("x-list", "^b.*", "Z")
              txn.http:req_rep_header("x-h", "^(b)", "Q\\\\1")
              txn:set_priv("from-action")
            end)
            core.register_action("dual", { "http-req" }, function(txn, a, b, c)
              txn.http:req_set_header("x-dual", "req:" .. a .. b .. c)
            end, 3)
            core.register_action("dual", { "http-res" }, function(txn)
              txn.http:res_set_header("x-dual", "res")
            end, 0)
            core.register_service("status", "http", function(applet)
              applet:set_status(408)
              applet:add_header("content-length", "0")
              applet:start_response()
            end)
            core.register_service("priv", "http", function(applet)
              local body = "priv=" .. tostring(applet:get_priv())
              applet:set_status(200)
              applet:add_header("content-length", #body)
              applet:start_response()
              applet:send(body)
            end)
            """;

    @Test
    void replyReasonsAreHaproxys() throws Exception {
        Path lua = Files.writeString(dir.resolve("reply.lua"), SCRIPT);
        try (TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load = [ "%s" ]
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-request = [ "use-service lua.status if { path /status }", "lua.reply" ]
                       default-backend = app
                     }
                     backends.app { servers { s = "%s" } }
                     """.formatted(lua, app.address()))) {
            assertEquals("HTTP/1.1 404 Not Found", line(proxy, "init"));
            assertEquals("HTTP/1.1 403 Go Away", line(proxy, "set"));
            assertEquals("HTTP/1.1 408 Request Time-out", line(proxy, "default"));
            assertEquals("HTTP/1.1 404 ", line(proxy, "empty"));
            assertEquals("HTTP/1.1 404 Not Found", line(proxy, "number"));
            assertEquals("HTTP/1.1 299 Success", line(proxy, "class"));
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                client.send("GET /status HTTP/1.1\r\nHost: h\r\n\r\n");
                assertEquals("HTTP/1.1 408 Request Time-out", client.read().startLine());
            }
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                client.send("GET / HTTP/1.1\r\nHost: h\r\nX-M: read\r\n\r\n");
                assertEquals("Gateway Time-out|Moved Temporarily", client.read().bodyText());
            }
        }
    }

    private static String line(InProcessProxy proxy, String mode) throws Exception {
        try (TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("GET / HTTP/1.1\r\nHost: h\r\nX-M: " + mode + "\r\n\r\n");
            return client.read().startLine();
        }
    }

    @Test
    void argumentChecksValueReplacementPerEnvironmentActionsAndServicePriv() throws Exception {
        Path lua = Files.writeString(dir.resolve("args.lua"), SCRIPT);
        try (TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load = [ "%s" ]
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-request = [ "lua.args", "lua.dual a b c", "use-service lua.priv if { path /priv }" ]
                       http-response = [ "lua.dual" ]
                       default-backend = app
                     }
                     backends.app { servers { s = "%s" } }
                     """.formatted(lua, app.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("GET / HTTP/1.1\r\nHost: h\r\nX-List: a,  b1 ,c, bb,   d ,,  b\"x,y\" , \"b,q\"\r\n"
                    + "X-H: b1 , b2\r\n\r\n");
            Http.Message answer = client.read();
            assertEquals(200, answer.status());
            assertEquals("res", answer.header("x-dual"));
            Http.Message seen = app.connections().get(0).requests.get(0);
            assertEquals("bad argument #2 to 'req_set_header' (string expected, got nil)", seen.header("x-e1"));
            assertEquals("'deflog' needs 2 arguments", seen.header("x-e2"));
            assertEquals("'req_add_hdr' needs 3 arguments", seen.header("x-e3"));
            assertEquals("calling 'log' on bad self (Invalid loglevel.)", seen.header("x-e4"));
            assertEquals("'set_var' needs between 3 and 4 arguments", seen.header("x-e5"));
            assertEquals("'req_rep_hdr' needs 4 arguments", seen.header("x-e6"));
            assertEquals("bad argument #1 to 'set_status' (number expected, got string)", seen.header("x-e7"));
            assertEquals("bad argument #2 to 'add_header' (string expected, got nil)", seen.header("x-e8"));
            assertEquals("truetruetruetrue", seen.header("x-ret"));
            assertEquals("12", seen.header("x-num"));
            assertEquals("req:abc", seen.header("x-dual"));
            assertEquals("a,Z,c,Z,   d ,,Z, \"b,q\"", seen.header("x-list"));
            assertEquals("Qb", seen.header("x-h"));

            client.send("GET /priv HTTP/1.1\r\nHost: h\r\n\r\n");
            assertEquals("priv=from-action", client.read().bodyText());
        }
    }
}
