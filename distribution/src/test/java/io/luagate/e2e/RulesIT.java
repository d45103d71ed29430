package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** HAProxy's rule language through the real proxy: routing, maps, variables, set-dst, replies. */
class RulesIT {

    @TempDir
    Path dir;

    private static String served(TestClient client, String request) throws Exception {
        client.send(request);
        Http.Message response = client.read();
        return response.status() + " " + response.header("x-served-by") + " " + response.header("x-flow");
    }

    @Test
    void routesByPathHeaderMapAndVariables() throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts.map"), """
                # host -> backend
                shop.example.com   shop
                blog.example.com   blog
                """);
        try (TestUpstream app = TestUpstream.named("app"); TestUpstream api = TestUpstream.named("api");
             TestUpstream shop = TestUpstream.named("shop"); TestUpstream blog = TestUpstream.named("blog");
             TestUpstream beta = TestUpstream.named("beta");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       acl { is_api = "path_beg /api/", is_beta = [ "hdr(x-beta) -m found", "urlp(beta) 1" ] }
                       http-request = [
                         "set-var(txn.flow) req.hdr(host),lower,map(%s,none)",
                         "set-var(txn.flow) str(api) if is_api",
                         "set-header X-Flow %%[var(txn.flow)]"
                       ]
                       http-response = [ "set-header X-Flow %%[var(txn.flow)]" ]
                       use-backend = [ "beta if is_beta", "%%[var(txn.flow)]", "blog if { path_beg /x }" ]
                       default-backend = app
                     }
                     backends {
                       app { servers { s = "%s" } }
                       api { servers { s = "%s" } }
                       shop { servers { s = "%s" } }
                       blog { servers { s = "%s" } }
                       beta { servers { s = "%s" } }
                     }
                     """.formatted(hosts, app.address(), api.address(), shop.address(), blog.address(), beta.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            assertEquals("200 shop shop", served(client, "GET / HTTP/1.1\r\nHost: Shop.Example.com\r\n\r\n"));
            assertEquals("200 blog blog", served(client, "GET /x HTTP/1.1\r\nHost: blog.example.com\r\n\r\n"));
            assertEquals("200 api api", served(client, "GET /api/v1 HTTP/1.1\r\nHost: shop.example.com\r\n\r\n"));
            assertEquals("200 beta shop", served(client, "GET / HTTP/1.1\r\nHost: shop.example.com\r\nX-Beta: y\r\n\r\n"));
            assertEquals("200 beta none", served(client, "GET /?beta=1 HTTP/1.1\r\nHost: other\r\n\r\n"));
            // "none" names no backend: the default backend serves, and no later rule is tried (HAProxy).
            assertEquals("200 app none", served(client, "GET / HTTP/1.1\r\nHost: unknown.example.com\r\n\r\n"));
            assertEquals("200 app none", served(client, "GET /x HTTP/1.1\r\nHost: unknown.example.com\r\n\r\n"));
            assertEquals("x-flow=[shop]", shop.connections().get(0).requests.get(0).headers().entrySet().stream()
                    .filter(e -> e.getKey().equals("x-flow")).map(e -> e.getKey() + "=" + e.getValue()).findFirst().orElseThrow());
        }
    }

    @Test
    void setDstSendsTheRequestToTheAddressARuleChose() throws Exception {
        try (TestUpstream first = TestUpstream.named("first"); TestUpstream second = TestUpstream.named("second");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-request = [
                         "set-var(req.port) req.hdr(x-port)",
                         "set-dst str(127.0.0.1)",
                         "set-dst-port var(req.port)"
                       ]
                       default-backend = dyn
                     }
                     backends.dyn { http-reuse = always, servers { any = "0.0.0.0:0" } }
                     """);
             TestClient client = new TestClient(proxy.port("fe"))) {
            for (int i = 0; i < 3; i++) {
                client.send("GET /a HTTP/1.1\r\nHost: t\r\nX-Port: " + first.port() + "\r\n\r\n");
                assertEquals("first", client.read().header("x-served-by"));
                client.send("GET /b HTTP/1.1\r\nHost: t\r\nX-Port: " + second.port() + "\r\n\r\n");
                assertEquals("second", client.read().header("x-served-by"));
            }
            // Pooled per destination: one connection to each, reused, never crossed.
            assertEquals(1, first.connectionCount());
            assertEquals(1, second.connectionCount());
        }
    }

    /** The bytes HAProxy 2.6.12 sends for the same rules (captured from a real HAProxy). */
    @Test
    void returnAndRedirectAreByteExact() throws Exception {
        try (InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-request = [
                         "return status 200 content-type text/plain string \\"hello\\" hdr X-A b if { path /ret }",
                         "redirect location /new code 301 if { path /loc }",
                         "redirect prefix /v2 if { path_beg /pre }",
                         "redirect scheme https if { path /sch }",
                         "redirect location /a set-cookie X=1 if { path /ck }",
                         "return content-type text/plain lf-string \\"p=%[path]\\" if { path /lf }",
                         "return status 404 if { path /page }",
                         "deny if { path /deny }"
                       ]
                     }
                     """)) {
            Map<String, String> expected = new java.util.LinkedHashMap<>();
            expected.put("/ret", "HTTP/1.1 200 OK\r\nx-a: b\r\ncontent-length: 5\r\ncontent-type: text/plain\r\n\r\nhello");
            expected.put("/loc", "HTTP/1.1 301 Moved Permanently\r\ncontent-length: 0\r\nlocation: /new\r\n\r\n");
            expected.put("/pre/x?a=1", "HTTP/1.1 302 Found\r\ncontent-length: 0\r\nlocation: /v2/pre/x?a=1\r\ncache-control: no-cache\r\n\r\n");
            expected.put("/sch", "HTTP/1.1 302 Found\r\ncontent-length: 0\r\nlocation: https://ex.com/sch\r\ncache-control: no-cache\r\n\r\n");
            expected.put("/ck", "HTTP/1.1 302 Found\r\ncontent-length: 0\r\nlocation: /a\r\ncache-control: no-cache\r\nset-cookie: X=1; path=/;\r\n\r\n");
            expected.put("/lf", "HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-type: text/plain\r\n\r\np=/lf");
            expected.put("/page", "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n");
            expected.put("/deny", "HTTP/1.1 403 Forbidden\r\ncontent-length: 93\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n"
                    + "<html><body><h1>403 Forbidden</h1>\nRequest forbidden by administrative rules.\n</body></html>\n");
            for (Map.Entry<String, String> entry : expected.entrySet()) {
                try (TestClient client = new TestClient(proxy.port("fe"))) {
                    client.send("GET " + entry.getKey() + " HTTP/1.1\r\nHost: ex.com\r\n\r\n");
                    byte[] wire = client.in().readNBytes(entry.getValue().length());
                    assertEquals(entry.getValue(), new String(wire, StandardCharsets.ISO_8859_1), entry.getKey());
                }
            }
        }
    }

    @Test
    void connectionAndProxyFetches() throws Exception {
        try (TestUpstream up = TestUpstream.with("echo-flow", (request, connection, out) -> {
                 TestUpstream.respond(out, 200, Map.of(), request.header("x-seen").getBytes());
                 return true;
             });
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-request = [
                         "set-var(sess.n) int(7)",
                         "set-header X-Seen %%[src]|%%[dst]|%%[fe_name]|%%[be_name]|%%[method]|%%[var(sess.n)]|%%[nbsrv(be)]|%%[ssl_fc]|%%[str(a),upper]|%%[req.hdr(host),lower]"
                       ]
                       http-response = [ "set-header X-Status %%[status]", "set-header X-Srv %%[srv_name]" ]
                       default-backend = be
                     }
                     backends.be { servers { one = "%s", two = { address = "127.0.0.1:1", disabled = true } } }
                     """.formatted(up.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            Http.Message response = client.get("/");
            // be_name is the frontend until a backend is chosen, as in HAProxy.
            assertEquals("127.0.0.1|127.0.0.1|fe|fe|GET|7|1|0|A|test", response.bodyText());
            assertEquals("200", response.header("x-status"));
            assertEquals("one", response.header("x-srv"));
        }
    }

    @Test
    void bufferedRequestBodyIsSeenByRulesAndStillForwarded() throws Exception {
        try (TestUpstream echo = TestUpstream.with("echo", (request, connection, out) -> {
                 TestUpstream.respond(out, 200, Map.of("X-Route", String.valueOf(request.header("x-route"))), request.body());
                 return true;
             });
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     global.tune.bufsize = 1k
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-buffer-request = true
                       http-request = [
                         "deny deny_status 400 if { req.body -m sub forbidden }",
                         "set-header X-Route %%[req.body,field(1,=)] if { req.body_len gt 0 }"
                       ]
                       default-backend = be
                     }
                     backends.be { servers { s = "%s" } }
                     """.formatted(echo.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 9\r\n\r\n");
            Thread.sleep(100);
            client.send("kind=blue");
            Http.Message ok = client.read();
            assertEquals(200, ok.status());
            assertEquals("kind", ok.header("x-route"), "the rule saw the body that came after the head");
            assertEquals("kind=blue", ok.bodyText(), "and the server still got it whole");

            client.send("POST /b HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nforb\r\n5\r\nidden\r\n0\r\n\r\n");
            Http.Message denied = client.read();
            assertEquals(400, denied.status());
            // HAProxy's 400 page says close, and HAProxy 2.6.12 closes after it (checked): so do we.
            assertEquals("close", denied.header("connection"));

            try (TestClient next = new TestClient(proxy.port("fe"))) {
                // Larger than tune.bufsize: the rules run on the first 1k, the rest streams on.
                String big = "x".repeat(5000);
                next.send("POST /c HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" + big);
                Http.Message large = next.read();
                assertEquals(200, large.status());
                assertEquals(big, large.bodyText());
            }
        }
    }

    @Test
    void logFormatWithAliasesAndExpressions() throws Exception {
        Path log = dir.resolve("access.log");
        try (TestUpstream up = TestUpstream.named("up");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = "%s"
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-request = [ "set-var(txn.flow) req.hdr(x-flow)" ]
                       log-format = "%%ci %%ft %%b/%%s %%ST %%HM %%HU flow=%%[var(txn.flow)] miss=%%[var(txn.none)] %%{+Q}r %%tsc"
                       default-backend = be
                     }
                     backends.be { servers { one = "%s" } }
                     """.formatted(log, up.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("GET /p?q=1 HTTP/1.1\r\nHost: t\r\nX-Flow: blue\r\n\r\n");
            assertEquals(200, client.read().status());
            String expected = "127.0.0.1 fe be/one 200 GET /p?q=1 flow=blue miss=- \"GET /p?q=1 HTTP/1.1\" ----";
            long deadline = System.nanoTime() + 5_000_000_000L;
            String content = "";
            while (System.nanoTime() < deadline && !content.contains(expected)) {
                Thread.sleep(50);
                content = Files.exists(log) ? Files.readString(log) : "";
            }
            assertEquals(expected, content.strip());
        }
    }

    @Test
    void badLogFormatIsRefusedWithItsPosition() {
        io.luagate.kernel.config.InvalidConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.luagate.kernel.config.InvalidConfigException.class, () -> InProcessProxy.start("""
                        frontends.fe { bind = ["127.0.0.1:0"], log-format = "%ci %zz", http-request = [ "return" ] }
                        """).close());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(
                "frontends.fe.log-format: in rule \"%ci %zz\" (column 5): unknown log-format alias '%zz'"), e.getMessage());
    }

    @Test
    void variableLifetimesFollowTheirScopes() throws Exception {
        Path log = dir.resolve("vars.log");
        try (InProcessProxy proxy = InProcessProxy.start("""
                     log.target = "%s"
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       log-format = "%%HU"
                       http-request = [
                         "set-log-level silent if { path /quiet }",
                         "return content-type text/plain lf-string \\"txn=%%[var(txn.v)] sess=%%[var(sess.v)] proc=%%[var(proc.v)]\\" if { path /read }",
                         "set-var(txn.v) str(t)",
                         "set-var(sess.v) str(s) if { path /set }",
                         "set-var(proc.v) str(p) if { path /set }",
                         "return content-type text/plain string ok"
                       ]
                     }
                     """.formatted(log))) {
            try (TestClient first = new TestClient(proxy.port("fe"))) {
                assertEquals("ok", first.get("/set").bodyText());
                assertEquals("txn= sess=s proc=p", first.get("/read").bodyText(),
                        "sess lives with the connection, txn with one request");
                assertEquals("ok", first.get("/quiet").bodyText());
            }
            try (TestClient second = new TestClient(proxy.port("fe"))) {
                assertEquals("txn= sess= proc=p", second.get("/read").bodyText(), "proc is shared, sess is not");
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            String content = "";
            while (System.nanoTime() < deadline && !content.contains("/read\n/read")) {
                Thread.sleep(50);
                content = Files.exists(log) ? Files.readString(log) : "";
            }
            assertEquals("/set\n/read\n/read\n", content, "set-log-level silent dropped /quiet's line");
        }
    }

    @Test
    void tcpContentRulesRejectAndRoute() throws Exception {
        try (TestUpstream up = TestUpstream.named("up");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.open { bind = ["127.0.0.1:0"], mode = tcp, default-backend = be,
                                      tcp-request = [ "content set-var(sess.ok) int(1)", "content accept if { src 127.0.0.0/8 }", "content reject" ] }
                     frontends.closed { bind = ["127.0.0.1:0"], mode = tcp, default-backend = be,
                                        tcp-request = [ "inspect-delay 1s", "content reject if { src 127.0.0.0/8 }" ] }
                     backends.be { mode = tcp, servers { s = "%s" } }
                     """.formatted(up.address()))) {
            try (TestClient open = new TestClient(proxy.port("open"))) {
                assertEquals(200, open.get("/through-tcp").status());
            }
            try (TestClient closed = new TestClient(proxy.port("closed"))) {
                assertEquals(true, closed.closedByServer(2000));
            }
        }
    }

    /**
     * A path set from bytes above 0x7F (a header's obs-text here; a UTF-8 path from Lua alike)
     * reaches the server as those bytes, as HAProxy 2.6 passes them, not encoded again in UTF-8.
     */
    @Test
    void aPathSetFromBytesAboveAsciiReachesTheServerByteForByte() throws Exception {
        try (TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-request = [ "set-path %%[req.hdr(x-path)] if { req.hdr(x-path) -m found }" ]
                       default-backend = app
                     }
                     backends.app { servers { s = "%s" } }
                     """.formatted(app.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            byte[] utf8 = "/caf\u00e9".getBytes(StandardCharsets.UTF_8);
            client.send("GET / HTTP/1.1\r\nHost: a\r\nX-Path: " + new String(utf8, StandardCharsets.ISO_8859_1) + "\r\n\r\n");
            assertEquals(200, client.read().status());
            String target = app.connections().get(0).requests.get(0).target();
            assertEquals(new String(utf8, StandardCharsets.ISO_8859_1), target, "the server got the UTF-8 bytes once");
        }
    }
}
