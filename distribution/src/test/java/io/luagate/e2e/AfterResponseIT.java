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
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code http-after-response} through the real proxy, checked against HAProxy 2.6.12: it runs on
 * every response (the server's, a Lua service's, return, deny, redirect, txn:reply, error pages),
 * the backend's list first, after req.* variables are gone.
 */
class AfterResponseIT {

    @TempDir
    Path dir;

    @Test
    void everyResponseRunsTheListsBackendFirst() throws Exception {
        Path lua = Files.writeString(dir.resolve("after.lua"), """
                core.register_service("svc", "http", function(applet)
                  applet:set_status(200)
                  applet:add_header("x-reqvar", tostring(applet:get_var("req.x")))
                  applet:start_response()
                  applet:send("hello")
                end)
                core.register_action("reply", { "http-req" }, function(txn)
                  txn:done(txn:reply({ status = 201, body = "rep" }))
                end)
                core.register_action("getreq", { "http-res" }, function(txn)
                  txn:set_var("txn.seen", tostring(txn:get_var("req.x")))
                end)
                """);
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load = [ "%s" ]
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-request = [
                         "set-var(req.x) str(reqval)",
                         "set-var(txn.t) str(txnval)",
                         "use-service lua.svc if { path /svc }",
                         "lua.reply if { path /reply }",
                         "return status 202 content-type text/plain string ret if { path /return }",
                         "deny if { path /deny }",
                         "redirect location /x if { path /redir }"
                       ]
                       http-response = [
                         "set-header x-fe-res \\"reqx=%%[var(req.x)] txn=%%[var(txn.t)]\\"",
                         "lua.getreq",
                         "set-header x-seen %%[var(txn.seen)]"
                       ]
                       http-after-response = [
                         "set-header x-fe-after \\"reqx=%%[var(req.x)] txn=%%[var(txn.t)] status=%%[status]\\"",
                         "set-var(txn.order) str(fe)"
                       ]
                       use-backend = [ "dead if { path /dead }" ]
                       default-backend = app
                     }
                     backends.app {
                       servers { s = "%s" }
                       http-response = [ "set-header x-be-res 1" ]
                       http-after-response = [
                         "set-header x-be-after 1",
                         "set-var(txn.order) str(be)",
                         "set-header x-order-at-be %%[var(txn.order)]"
                       ]
                     }
                     backends.dead {
                       servers { s = "127.0.0.1:%d" }
                       http-after-response = [ "set-header x-dead-after 1" ]
                     }
                     """.formatted(lua, app.address(), closed));
             TestClient client = new TestClient(proxy.port("fe"))) {
            Http.Message server = client.get("/");
            assertEquals(200, server.status());
            assertEquals("reqx= txn=txnval", server.header("x-fe-res"));
            assertEquals("nil", server.header("x-seen"));
            assertEquals("1", server.header("x-be-res"));
            assertEquals("1", server.header("x-be-after"));
            assertEquals("be", server.header("x-order-at-be"));
            assertEquals("reqx= txn=txnval status=200", server.header("x-fe-after"));

            // A Lua service: the frontend's response rules run and still see req.x; after-response does not.
            Http.Message service = client.get("/svc");
            assertEquals("hello", service.bodyText());
            assertEquals("reqval", service.header("x-reqvar"));
            assertEquals("reqx=reqval txn=txnval", service.header("x-fe-res"));
            assertEquals("reqval", service.header("x-seen"));
            assertNull(service.header("x-be-after"));
            assertEquals("reqx= txn=txnval status=200", service.header("x-fe-after"));

            for (String[] c : new String[][] {{"/reply", "201"}, {"/return", "202"}, {"/deny", "403"}, {"/redir", "302"}}) {
                Http.Message answer = client.get(c[0]);
                assertEquals(Integer.parseInt(c[1]), answer.status(), c[0]);
                assertEquals("reqx= txn=txnval status=" + c[1], answer.header("x-fe-after"), c[0]);
                // The proxy's own answers skip the http-response rules, as in HAProxy.
                assertNull(answer.header("x-fe-res"), c[0]);
            }

            Http.Message dead = client.get("/dead");
            assertEquals(503, dead.status());
            assertEquals("1", dead.header("x-dead-after"));
            assertEquals("reqx= txn=txnval status=503", dead.header("x-fe-after"));
        }
    }

    @Test
    void anHttpResponseDenyIsA502ThatTheAfterRulesSee() throws Exception {
        try (TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-request = [ "set-var(txn.path) path" ]
                       http-response = [ "deny if { var(txn.path) -m str /resdeny }", "set-header x-fe-res 1" ]
                       http-after-response = [ "set-header x-after %%[status]" ]
                       default-backend = app
                     }
                     backends.app {
                       servers { s = "%s" }
                       http-response = [ "set-header x-be-res 1" ]
                       http-after-response = [ "set-header x-be-after 1" ]
                     }
                     """.formatted(app.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            Http.Message denied = client.get("/resdeny");
            assertEquals(502, denied.status());
            assertEquals("502", denied.header("x-after"));
            assertEquals("1", denied.header("x-be-after"));
            assertNull(denied.header("x-be-res"));
            assertTrue(denied.bodyText().contains("502 Bad Gateway"));
            Http.Message ok = client.get("/ok");
            assertEquals(200, ok.status());
            assertEquals("200", ok.header("x-after"));
        }
    }

    @Test
    void setStatusAndDefaultsApply() throws Exception {
        try (TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     defaults.frontend.http-after-response = [ "set-status 299 reason Fine if { status 200 }", "set-header x-default 1" ]
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = app }
                     backends.app { servers { s = "%s" } }
                     """.formatted(app.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            Http.Message response = client.get("/");
            assertEquals(299, response.status());
            assertTrue(response.startLine().endsWith(" 299 Fine"), response.startLine());
            assertEquals("1", response.header("x-default"));
        }
    }

    @Test
    void onlyHaproxy26sActionsAreAllowedThere() throws Exception {
        Path config = InProcessProxy.writeConfig("""
                frontends.fe {
                  bind = ["127.0.0.1:0"], default-backend = be
                  http-after-response = [ "set-header a b", "set-log-level info", "deny", "return status 200" ]
                }
                backends.be { servers { s = "127.0.0.1:1" }, http-after-response = [ "lua.nothing" ] }
                """);
        List<ConfigProblem> problems = Luagate.check(ConfigLoader.load(config, InProcessProxy.distribution()),
                InProcessProxy.distribution()).list();
        assertEquals(4, problems.size(), problems.toString());
        for (ConfigProblem problem : problems) {
            assertTrue(problem.toString().contains("unknown http-after-response action")
                    && problem.toString().contains("known: add-header, allow, del-header, replace-header, replace-value,"
                    + " set-header, set-status, set-var, set-var-fmt, unset-var"), problem.toString());
        }
    }
}
