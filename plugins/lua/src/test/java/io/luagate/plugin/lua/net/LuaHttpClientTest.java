package io.luagate.plugin.lua.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.plugin.lua.api.LuaApi;
import io.luagate.plugin.lua.engine.LuaCall;
import io.netty.channel.nio.NioIoHandler;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaValue;

/** {@code core.httpclient()} against real HTTP servers on loopback, with the pool plugin's real pools. */
class LuaHttpClientTest {

    private static final String SCRIPT = """
            local function show(res)
              local names = {}
              for name in pairs(res.headers) do names[#names + 1] = name end
              table.sort(names)
              local out = { res.status, res.reason }
              for _, name in ipairs(names) do
                local values = res.headers[name]
                local list = {}
                local i = 0
                while values[i] ~= nil do list[#list + 1] = values[i]; i = i + 1 end
                out[#out + 1] = name .. "=" .. table.concat(list, ",")
              end
              out[#out + 1] = res.body
              return table.concat(out, "|")
            end
            core.register_fetches("get", function(port, path)
              local hc = core.httpclient()
              return show(hc:get({ url = "http://127.0.0.1:" .. port .. (path or "/"),
                                   headers = { ["X-Test"] = { "one", "two" }, ["Accept"] = { "text/plain" } } }))
            end)
            core.register_fetches("post", function(port, body)
              local hc = core.httpclient()
              return show(hc:post({ url = "http://127.0.0.1:" .. port .. "/submit?x=1", body = body,
                                    headers = { ["Content-Type"] = { [0] = "text/plain" } } }))
            end)
            core.register_fetches("each", function(port)
              local hc = core.httpclient()
              local out = {}
              for _, m in ipairs({ "get", "head", "put", "delete" }) do
                local res = hc[m](hc, { url = "http://127.0.0.1:" .. port .. "/" .. m })
                out[#out + 1] = res.status .. ":" .. res.body
              end
              return table.concat(out, " ")
            end)
            core.register_fetches("twice", function(port, method)
              local out = {}
              for i = 1, 2 do
                local hc = core.httpclient()
                local res = hc[method](hc, { url = "http://127.0.0.1:" .. port .. "/" .. i })
                out[#out + 1] = res.status .. ":" .. res.body
              end
              return table.concat(out, " ")
            end)
            core.register_fetches("timeout", function(port)
              local res = core.httpclient():get({ url = "http://127.0.0.1:" .. port .. "/slow", timeout = 200 })
              return res.status .. "|" .. res.reason .. "|" .. res.body
            end)
            core.register_fetches("dst", function(port)
              local res = core.httpclient():get({ url = "http://service.example:8080/via-dst", dst = "127.0.0.1:" .. port })
              return res.status .. "|" .. res.body
            end)
            core.register_fetches("errors", function(port)
              local hc = core.httpclient()
              local out = {}
              for _, req in ipairs({
                { url = "http://127.0.0.1:" .. port .. "/", method = "PATCH" },
                { body = "no url" },
                { url = "http://backend.example/" },
                { url = "https://127.0.0.1/" },
                { url = "http://127.0.0.1:" .. port .. "/", headers = { ["X-A"] = "not a list" } },
                { url = "http://127.0.0.1:" .. port .. "/", timeout = "soon" },
                { url = "http://127.0.0.1:" .. port .. "/", headers = { ["X-\\xc3\\x89"] = { "v" } } },
                { url = "http://127.0.0.1:" .. port .. "/", headers = { ["X-A"] = { "a\\r\\nb" } } },
              }) do
                local ok, err = pcall(hc.get, hc, req)
                out[#out + 1] = err
              end
              local ok, err = pcall(hc.get, hc, "http://127.0.0.1/")
              out[#out + 1] = err
              return table.concat(out, "||")
            end)
            core.register_fetches("secure", function(port)
              local res = core.httpclient():get({ url = "https://127.0.0.1:" .. port .. "/s" })
              return res.status .. "|" .. res.body
            end)
            core.register_fetches("huge", function(port)
              local ok, err = pcall(function() return core.httpclient():get({ url = "http://127.0.0.1:" .. port .. "/" }) end)
              return err
            end)
            core.register_fetches("in_fetch", function(port)
              local ok, err = pcall(function() return core.httpclient():get({ url = "http://127.0.0.1:1/" }) end)
              return err
            end)
            body_client = tostring(select("#", core.httpclient()))
            core.register_fetches("body_client", function() return body_client end)
            """;

    @TempDir
    Path home;

    private LuaNetHarness lua;

    private LuaNetHarness lua() throws Exception {
        lua = new LuaNetHarness(home, SCRIPT, 1, NioIoHandler.newFactory(), true);
        return lua;
    }

    @AfterEach
    void stop() throws Exception {
        if (lua != null) {
            lua.close();
        }
    }

    /** A keep-alive HTTP server that records each request and answers with {@code answer}. */
    private static LoopbackServer http(List<HttpExchanges.Request> seen, Answer answer) throws Exception {
        return LoopbackServer.start((socket, number) -> {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            int onThisConnection = 0;
            HttpExchanges.Request request;
            while ((request = HttpExchanges.read(in)) != null) {
                seen.add(request);
                if (!answer.answer(request, number, ++onThisConnection, out)) {
                    return;
                }
            }
        });
    }

    /** Writes the response to one request, or returns {@code false} to close the connection instead. */
    private interface Answer {
        boolean answer(HttpExchanges.Request request, int connection, int onConnection, OutputStream out) throws Exception;
    }

    private static boolean ok(HttpExchanges.Request request, int connection, int onConnection, OutputStream out)
            throws Exception {
        String target = request.line().split(" ")[1];
        HttpExchanges.respond(out, "HTTP/1.1 200 OK\r\nX-Multi: a\r\nX-Multi: b", "conn" + connection + " " + target);
        return true;
    }

    @Test
    void getSendsHeadersAndReturnsHaproxysResponseTable() throws Exception {
        List<HttpExchanges.Request> seen = new CopyOnWriteArrayList<>();
        try (LoopbackServer server = http(seen, LuaHttpClientTest::ok)) {
            String result = lua().value("get", LuaValue.valueOf(server.port()), LuaValue.valueOf("/path?q=1"));
            assertEquals("200|OK|content-length=15|x-multi=a,b|conn1 /path?q=1", result);
            HttpExchanges.Request request = seen.get(0);
            assertEquals("GET /path?q=1 HTTP/1.1", request.line());
            assertEquals(List.of("one", "two"), request.headers("X-Test"));
            assertEquals("127.0.0.1:" + server.port(), request.header("Host"));
            assertEquals("text/plain", request.header("Accept"));
            assertEquals("luagate", request.header("User-Agent"));
            assertEquals(null, request.header("Content-Length"));
        }
    }

    @Test
    void responseHeaderNamesAreTokensInLowerCase() throws Exception {
        // HAProxy's response table has its names in lower case. A name that is no token (a byte
        // C9) never reaches the table: the response is refused, so folding A-Z is all there is.
        List<HttpExchanges.Request> seen = new CopyOnWriteArrayList<>();
        try (LoopbackServer server = http(seen, (request, connection, onConnection, out) -> {
            String name = request.line().contains("/bad") ? "X-\u00c9" : "X-Mixed-CASE";
            HttpExchanges.respond(out, "HTTP/1.1 200 OK\r\n" + name + ": a", "x");
            return true;
        })) {
            assertEquals("200|OK|content-length=1|x-mixed-case=a|x",
                    lua().value("get", LuaValue.valueOf(server.port()), LuaValue.valueOf("/")));
            assertTrue(lua.value("get", LuaValue.valueOf(server.port()), LuaValue.valueOf("/bad")).startsWith("502|Bad Gateway|"));
        }
    }

    @Test
    void postSendsTheBody() throws Exception {
        List<HttpExchanges.Request> seen = new CopyOnWriteArrayList<>();
        try (LoopbackServer server = http(seen, (request, connection, on, out) -> {
            HttpExchanges.respond(out, "HTTP/1.1 201 Created", "got " + new String(request.body(), StandardCharsets.UTF_8));
            return true;
        })) {
            String result = lua().value("post", LuaValue.valueOf(server.port()), LuaValue.valueOf("hello body"));
            assertEquals("201|Created|content-length=14|got hello body", result);
            HttpExchanges.Request request = seen.get(0);
            assertEquals("POST /submit?x=1 HTTP/1.1", request.line());
            assertEquals("10", request.header("Content-Length"));
            assertEquals("text/plain", request.header("Content-Type"));
            assertEquals("*/*", request.header("Accept"));
        }
    }

    @Test
    void everyMethodAndHeadWithoutBody() throws Exception {
        List<HttpExchanges.Request> seen = new CopyOnWriteArrayList<>();
        try (LoopbackServer server = http(seen, (request, connection, on, out) -> {
            String method = request.line().split(" ")[0];
            if (method.equals("HEAD")) {
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } else {
                HttpExchanges.respond(out, "HTTP/1.1 200 OK", method);
            }
            return true;
        })) {
            assertEquals("200:GET 200: 200:PUT 200:DELETE", lua().value("each", LuaValue.valueOf(server.port())));
            assertEquals("0", seen.get(2).header("Content-Length"));
            // One connection served all four: HEAD's bodiless answer left it in step.
            assertEquals(1, server.accepted());
        }
    }

    @Test
    void theSecondRequestReusesThePooledConnection() throws Exception {
        List<HttpExchanges.Request> seen = new CopyOnWriteArrayList<>();
        try (LoopbackServer server = http(seen, LuaHttpClientTest::ok)) {
            assertEquals("200:conn1 /1 200:conn1 /2", lua().value("twice", LuaValue.valueOf(server.port()), LuaValue.valueOf("get")));
            assertEquals(1, server.accepted());
            assertEquals(1, lua.idle(0));
        }
    }

    @Test
    void aConnectionTheServerClosesIsNotPooled() throws Exception {
        List<HttpExchanges.Request> seen = new CopyOnWriteArrayList<>();
        try (LoopbackServer server = http(seen, (request, connection, on, out) -> {
            HttpExchanges.respond(out, "HTTP/1.1 200 OK\r\nConnection: close", "conn" + connection);
            return false;
        })) {
            assertEquals("200:conn1 200:conn2", lua().value("twice", LuaValue.valueOf(server.port()), LuaValue.valueOf("get")));
            assertEquals(2, server.accepted());
            assertEquals(0, lua.idle(0));
        }
    }

    @Test
    void aDeadPooledConnectionIsRetriedOnceOnANewOne() throws Exception {
        List<HttpExchanges.Request> seen = new CopyOnWriteArrayList<>();
        // The first connection answers its first request, then dies on the next one without a byte.
        try (LoopbackServer server = http(seen, (request, connection, on, out) -> connection != 1 || on == 1
                ? ok(request, connection, on, out) : false)) {
            assertEquals("200:conn1 /1 200:conn2 /2", lua().value("twice", LuaValue.valueOf(server.port()), LuaValue.valueOf("get")));
            assertEquals(2, server.accepted());
            assertEquals(3, seen.size());
        }
    }

    @Test
    void aPostOnADeadPooledConnectionIsNotReplayed() throws Exception {
        List<HttpExchanges.Request> seen = new CopyOnWriteArrayList<>();
        try (LoopbackServer server = http(seen, (request, connection, on, out) -> connection != 1 || on == 1
                ? ok(request, connection, on, out) : false)) {
            String result = lua().value("twice", LuaValue.valueOf(server.port()), LuaValue.valueOf("post"));
            assertTrue(result.startsWith("200:conn1 /1 502:<html><body><h1>502 Bad Gateway</h1>"), result);
            assertEquals(1, server.accepted());
        }
    }

    @Test
    void aNewConnectionThatDiesIsNotRetried() throws Exception {
        List<HttpExchanges.Request> seen = new CopyOnWriteArrayList<>();
        try (LoopbackServer server = http(seen, (request, connection, on, out) -> false)) {
            String result = lua().value("twice", LuaValue.valueOf(server.port()), LuaValue.valueOf("get"));
            assertTrue(result.startsWith("502:") && result.contains(" 502:"), result);
            assertEquals(2, server.accepted());
            assertEquals(2, seen.size());
        }
    }

    @Test
    void refusedConnectionGives503AndSilenceGives504() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        lua();
        String refused = lua.value("twice", LuaValue.valueOf(port), LuaValue.valueOf("get"));
        assertTrue(refused.startsWith("503:<html><body><h1>503 Service Unavailable</h1>"), refused);
        CountDownLatch release = new CountDownLatch(1);
        List<HttpExchanges.Request> seen = new CopyOnWriteArrayList<>();
        try (LoopbackServer server = http(seen, (request, connection, on, out) -> {
            release.await(10, TimeUnit.SECONDS);
            return false;
        })) {
            long start = System.nanoTime();
            String silent = lua.value("timeout", LuaValue.valueOf(server.port()));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(silent.startsWith("504|Gateway Time-out|<html><body><h1>504 Gateway Time-out</h1>"), silent);
            assertTrue(millis >= 190 && millis < 4000, "took " + millis + " ms");
        } finally {
            release.countDown();
        }
    }

    @Test
    void dstOverridesTheUrlsHostWhichStaysInTheHostHeader() throws Exception {
        List<HttpExchanges.Request> seen = new CopyOnWriteArrayList<>();
        try (LoopbackServer server = http(seen, LuaHttpClientTest::ok)) {
            assertEquals("200|conn1 /via-dst", lua().value("dst", LuaValue.valueOf(server.port())));
            assertEquals("service.example:8080", seen.get(0).header("Host"));
        }
    }

    /** https: the certificate is checked against the CA file or the JDK's authorities, or not at all. */
    @Test
    void httpsChecksTheServersCertificateAsConfigured() throws Exception {
        SSLContext context = TestCertificates.selfSignedServerContext(home);
        try (SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        InputStream in = new BufferedInputStream(socket.getInputStream());
                        if (HttpExchanges.read(in) != null) {
                            HttpExchanges.respond(socket.getOutputStream(), "HTTP/1.1 200 OK\r\nConnection: close", "secure");
                        }
                    } catch (Exception e) {
                        // a client that refused the certificate, or the end of the test
                    }
                }
            });
            serving.setDaemon(true);
            serving.start();
            LuaValue port = LuaValue.valueOf(server.getLocalPort());
            LuaApi api = (LuaApi) lua().engine.sharedState().api();
            api.httpsClientTls(HttpsClientTls.build(true, home.resolve("server.pem")));
            assertEquals("200|secure", lua.value("secure", port));
            // The JDK's authorities do not know this certificate: no response, 502 as HAProxy's stream gives.
            api.httpsClientTls(HttpsClientTls.build(true, null));
            assertEquals("502", lua.value("secure", port).split("\\|")[0]);
            api.httpsClientTls(HttpsClientTls.build(false, null));
            assertEquals("200|secure", lua.value("secure", port));
        }
        assertThrows(IllegalArgumentException.class, () -> HttpsClientTls.build(true, home.resolve("missing.pem")));
    }

    @Test
    void badRequestsRaiseClearErrors() throws Exception {
        String[] errors = lua().value("errors", LuaValue.valueOf(1)).split("\\|\\|");
        assertTrue(errors[0].contains("'method' invalid parameter name"), errors[0]);
        assertTrue(errors[1].contains("needs a 'url' argument"), errors[1]);
        assertTrue(errors[2].contains("'backend.example' is not an IP address") && errors[2].contains("'dst'"), errors[2]);
        assertTrue(errors[3].contains("https needs the lua plugin started with its TLS settings"), errors[3]);
        assertTrue(errors[4].contains("header 'X-A' must be a list of values"), errors[4]);
        assertTrue(errors[5].contains("invalid parameter in 'timeout'"), errors[5]);
        // Names and values luagate cannot write fail at the call, before anything is sent.
        assertTrue(errors[6].endsWith("'httpclient get': 'X-\u00c3\u0089' is not a header name "
                + "(luagate writes token names only; HAProxy would send its bytes)"), errors[6]);
        assertTrue(errors[7].endsWith("'httpclient get': the value of header 'X-A' holds the control byte \\x0D, "
                + "which luagate does not send (HAProxy sends it raw; a NUL cuts the value there)"), errors[7]);
        assertTrue(errors[8].contains("'get' needs a table as argument"), errors[8]);
    }

    @Test
    void aResponseOverTheLimitIsAnError() throws Exception {
        List<HttpExchanges.Request> seen = new CopyOnWriteArrayList<>();
        try (LoopbackServer server = http(seen, (request, connection, on, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + (17 * 1024 * 1024) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[64 * 1024]);
            out.flush();
            return true;
        })) {
            String error = lua().value("huge", LuaValue.valueOf(server.port()));
            assertTrue(error.contains("larger than 16 MiB"), error);
        }
    }

    @Test
    void onlyCallsThatMayWaitCanSendAndScriptBodiesGetNothing() throws Exception {
        lua();
        LuaCall.Outcome outcome = lua.runInline("in_fetch");
        String error = outcome.values().arg1().tojstring();
        assertTrue(error.contains("only allowed in actions, services and tasks"), error);
        assertEquals("0", lua.value("body_client"));
    }
}
