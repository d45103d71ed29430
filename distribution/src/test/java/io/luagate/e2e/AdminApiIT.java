package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.OpensslCertificates;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import io.luagate.kernel.Luagate;
import io.luagate.kernel.config.ConfigLoader;
import io.luagate.kernel.config.InvalidConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin plugin's HTTP API against a real luagate and real upstreams: its token rules, and every
 * change it makes seen in the traffic (a drained server gets no new request, an added one takes
 * traffic, a removed one none; map and ACL entries act on the next request).
 */
class AdminApiIT {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int adminPort;

    /** One answer of the admin API. */
    private record Answer(int status, String body, HttpResponse<String> response) {
        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private Path tokenFile() throws IOException {
        return Files.writeString(dir.resolve("admin.token"), TOKEN + "\n");
    }

    private Answer call(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response);
    }

    private Answer get(String path) throws Exception {
        return call("GET", path, TOKEN, null);
    }

    private Answer write(String method, String path, String json) throws Exception {
        return call(method, path, TOKEN, json);
    }

    private InProcessProxy start(String adminKeys, String rest) throws IOException {
        adminPort = freePort();
        return InProcessProxy.start("log.target = none\nadmin { bind = \"127.0.0.1:" + adminPort + "\", " + adminKeys + " }\n" + rest);
    }

    /** Who served each of {@code count} requests, by upstream name. */
    private static Map<String, Integer> spread(TestClient client, int count) throws IOException {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < count; i++) {
            var response = client.get("/r" + i);
            assertEquals(200, response.status(), response.bodyText());
            seen.merge(response.header("X-Served-By"), 1, Integer::sum);
        }
        return seen;
    }

    @Test
    void writesNeedTheBearerTokenAndReadsTooUnlessOpened() throws Exception {
        try (TestUpstream a = TestUpstream.named("a");
             InProcessProxy proxy = start("token-file = \"" + tokenFile() + "\"", """
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                     backends.be { servers { a = "%s" } }
                     """.formatted(a.address()))) {
            Answer none = call("GET", "/api/v1/backends", null, null);
            assertEquals(401, none.status());
            assertEquals("Bearer realm=\"luagate-admin\"", none.header("WWW-Authenticate"));
            assertTrue(none.body().contains("\"error\":\"a bearer token is required"), none.body());
            Answer wrong = call("GET", "/api/v1/backends", "not-the-token", null);
            assertEquals(401, wrong.status());
            assertEquals("Bearer realm=\"luagate-admin\", error=\"invalid_token\"", wrong.header("WWW-Authenticate"));
            HttpResponse<String> basic = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/api/v1/backends"))
                    .header("Authorization", "Basic YWRtaW46" + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, basic.statusCode(), "another scheme carries no bearer token");
            assertEquals(200, get("/api/v1/backends").status());
            assertEquals(401, call("PATCH", "/api/v1/backends/be/servers/a", null, "{\"weight\":3}").status());
            assertEquals(401, call("PATCH", "/api/v1/backends/be/servers/a", TOKEN + "x", "{\"weight\":3}").status());
            Answer patched = write("PATCH", "/api/v1/backends/be/servers/a", "{\"weight\":3}");
            assertEquals(200, patched.status(), patched.body());
            assertTrue(patched.body().contains("\"weight\":3"), patched.body());
            assertEquals("application/json; charset=utf-8", patched.header("Content-Type"));
        }
    }

    @Test
    void withoutATokenWritesAreRefusedAndReadsFollowOpenReads() throws Exception {
        try (TestUpstream a = TestUpstream.named("a")) {
            String proxyConfig = """
                    frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                    backends.be { servers { a = "%s" } }
                    """.formatted(a.address());
            try (InProcessProxy proxy = start("open-reads = true", proxyConfig)) {
                Answer read = call("GET", "/api/v1/backends/be/servers/a", null, null);
                assertEquals(200, read.status(), read.body());
                assertTrue(read.body().startsWith("{\"name\":\"a\",\"address\":\"127.0.0.1:" + a.port() + "\",\"state\":\"ready\""),
                        read.body());
                Answer write = call("PATCH", "/api/v1/backends/be/servers/a", TOKEN, "{\"state\":\"drain\"}");
                assertEquals(403, write.status());
                assertTrue(write.body().contains("writes are refused: no admin token is configured (admin.token-file or $LUAGATE_ADMIN_TOKEN)"),
                        write.body());
                assertTrue(read.body().contains("\"state\":\"ready\""));
            }
            try (InProcessProxy proxy = start("open-reads = false", proxyConfig)) {
                Answer read = call("GET", "/api/v1/backends", null, null);
                assertEquals(403, read.status());
                assertTrue(read.body().contains("admin.open-reads = true"), read.body());
            }
        }
    }

    @Test
    void aTokenOnANonLoopbackBindIsRefusedAtStart() throws Exception {
        Path token = tokenFile();
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> InProcessProxy.start("""
                log.target = none
                admin { bind = "0.0.0.0:%d", token-file = "%s" }
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                backends.be { servers { a = "127.0.0.1:9" } }
                """.formatted(freePort(), token)).close());
        assertTrue(e.getMessage().contains("admin.bind: 0.0.0.0 is not a loopback address, and the admin token (admin.token-file)"
                + " would cross the network in clear"), e.getMessage());
        InvalidConfigException missing = assertThrows(InvalidConfigException.class, () -> InProcessProxy.start("""
                log.target = none
                admin { bind = "127.0.0.1:%d", token-file = "%s" }
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                backends.be { servers { a = "127.0.0.1:9" } }
                """.formatted(freePort(), dir.resolve("absent.token"))).close());
        assertTrue(missing.getMessage().contains("admin.token-file: " + dir.resolve("absent.token") + " cannot be read"),
                missing.getMessage());
    }

    @Test
    void serverChangesAddsAndRemovalsActOnTheNextRequests() throws Exception {
        try (TestUpstream a = TestUpstream.named("a");
             TestUpstream b = TestUpstream.named("b");
             TestUpstream c = TestUpstream.named("c");
             TestUpstream n = TestUpstream.named("n");
             InProcessProxy proxy = start("token-file = \"" + tokenFile() + "\"", """
                     global.threads = 2
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                     backends.be { servers { a = "%s", b = "%s" } }
                     """.formatted(a.address(), b.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            assertEquals(Map.of("a", 5, "b", 5), spread(client, 10));

            // Drain: b gets no new request, and says so.
            Answer drained = write("PATCH", "/api/v1/backends/be/servers/b", "{\"state\":\"drain\"}");
            assertEquals(200, drained.status(), drained.body());
            assertTrue(drained.body().contains("\"state\":\"drain\",\"health\":\"up\",\"up\":false"), drained.body());
            int bBefore = b.requestCount();
            assertEquals(Map.of("a", 10), spread(client, 10));
            assertEquals(bBefore, b.requestCount());

            // Ready again, then weight 0 on a: all to b.
            assertEquals(200, write("PATCH", "/api/v1/backends/be/servers/b", "{\"state\":\"ready\"}").status());
            assertEquals(200, write("PATCH", "/api/v1/backends/be/servers/a", "{\"weight\":0}").status());
            assertEquals(Map.of("b", 6), spread(client, 6));
            // A relative weight, as HAProxy's "50%": of the configured weight 1, rounded down to 0... 200% is 2.
            Answer relative = write("PATCH", "/api/v1/backends/be/servers/a", "{\"weight\":\"200%\"}");
            assertTrue(relative.body().contains("\"weight\":2,\"initial_weight\":1"), relative.body());

            // A new address: a's traffic goes to c; a bad request changes nothing.
            Answer bad = write("PATCH", "/api/v1/backends/be/servers/a", "{\"address\":\"" + c.address() + "\",\"weight\":999}");
            assertEquals(400, bad.status());
            assertEquals("{\"error\":\"\\\"weight\\\" must be 0..256, not 999\"}\n", bad.body());
            assertEquals(400, write("PATCH", "/api/v1/backends/be/servers/a", "{\"colour\":\"red\"}").status());
            assertEquals(200, write("PATCH", "/api/v1/backends/be/servers/a", "{\"address\":\"" + c.address() + "\",\"weight\":1}").status());
            assertEquals(Map.of("b", 3, "c", 3), spread(client, 6));

            // Added: in maintenance first, as HAProxy's add server; then ready, it takes traffic.
            Answer added = write("POST", "/api/v1/backends/be/servers", "{\"name\":\"n\",\"address\":\"" + n.address() + "\",\"weight\":2}");
            assertEquals(201, added.status(), added.body());
            assertEquals("/api/v1/backends/be/servers/n", added.header("Location"));
            assertTrue(added.body().contains("\"state\":\"maint\""), added.body());
            assertEquals(Map.of("b", 3, "c", 3), spread(client, 6));
            assertEquals(0, n.requestCount());
            assertEquals(200, write("PATCH", "/api/v1/backends/be/servers/n", "{\"state\":\"ready\"}").status());
            Map<String, Integer> withN = spread(client, 8);
            assertEquals(Map.of("b", 2, "c", 2, "n", 4), withN);
            Answer nView = get("/api/v1/backends/be/servers/n");
            assertTrue(nView.body().contains("\"http_requests\":4"), nView.body());

            // HAProxy's refusals, with its texts and the right statuses.
            Answer duplicate = write("POST", "/api/v1/backends/be/servers", "{\"name\":\"n\",\"address\":\"127.0.0.1:1\"}");
            assertEquals(409, duplicate.status());
            assertEquals("{\"error\":\"Already exists a server with the same name in backend.\"}\n", duplicate.body());
            Answer wrongKey = write("POST", "/api/v1/backends/be/servers", "{\"name\":\"x\",\"address\":\"127.0.0.1:1\",\"weight\":300}");
            assertEquals(400, wrongKey.status());
            assertTrue(wrongKey.body().contains("backends.be.servers.x.weight: "), wrongKey.body());
            Answer live = write("DELETE", "/api/v1/backends/be/servers/a", null);
            assertEquals(409, live.status(), live.body());
            assertEquals("{\"error\":\"Only servers in maintenance mode can be deleted.\"}\n", live.body());
            assertEquals(404, write("DELETE", "/api/v1/backends/be/servers/nosuch", null).status());
            assertEquals("{\"error\":\"No such backend.\"}\n", get("/api/v1/backends/nosuch/servers").body());

            // Removed: after maintenance it goes, and gets nothing more.
            assertEquals(200, write("PATCH", "/api/v1/backends/be/servers/n", "{\"state\":\"maint\"}").status());
            Answer removed = write("DELETE", "/api/v1/backends/be/servers/n", null);
            assertEquals(204, removed.status(), removed.body());
            assertEquals(404, get("/api/v1/backends/be/servers/n").status());
            int nCount = n.requestCount();
            assertEquals(Map.of("b", 3, "c", 3), spread(client, 6));
            assertEquals(nCount, n.requestCount());
            Answer backend = get("/api/v1/backends/be");
            assertFalse(backend.body().contains("\"name\":\"n\""), backend.body());
            assertTrue(backend.body().contains("\"usable_servers\":2"), backend.body());
        }
    }

    @Test
    void readsShowFrontendsBackendsAndTheProcess() throws Exception {
        try (TestUpstream a = TestUpstream.named("a");
             InProcessProxy proxy = start("token-file = \"" + tokenFile() + "\", open-reads = true", """
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                     backends.be { servers { a = "%s" } }
                     """.formatted(a.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            spread(client, 3);
            Answer frontend = call("GET", "/api/v1/frontends/fe", null, null);
            assertTrue(frontend.body().startsWith("{\"name\":\"fe\",\"mode\":\"http\",\"state\":\"open\",\"listeners\":[{\"address\":\"127.0.0.1:"
                    + proxy.port("fe") + "\""), frontend.body());
            assertTrue(frontend.body().contains("\"http_requests\":3"), frontend.body());
            Answer frontends = call("GET", "/api/v1/frontends", null, null);
            assertTrue(frontends.body().startsWith("{\"frontends\":[{\"name\":\"fe\""), frontends.body());
            Answer info = call("GET", "/api/v1/info", null, null);
            assertTrue(info.body().contains("\"pid\":" + ProcessHandle.current().pid()), info.body());
            Answer head = call("HEAD", "/api/v1/info", null, null);
            assertEquals(200, head.status());
            assertEquals("", head.body());
            Answer notAllowed = call("DELETE", "/api/v1/frontends/fe", TOKEN, null);
            assertEquals(405, notAllowed.status());
            assertEquals("GET, HEAD", notAllowed.header("Allow"));
            assertEquals(404, call("GET", "/api/v1/nothing", null, null).status());
            assertEquals(404, call("GET", "/elsewhere", null, null).status());
            Answer badJson = write("PATCH", "/api/v1/backends/be/servers/a", "{\"weight\":");
            assertEquals(400, badJson.status());
            assertTrue(badJson.body().contains("invalid JSON at offset 10"), badJson.body());
        }
    }

    @Test
    void mapAndAclEntriesActOnTheNextRequest() throws Exception {
        Path colors = Files.writeString(dir.resolve("colors.map"), "/a red\n");
        Path blocked = Files.writeString(dir.resolve("blocked.acl"), "/never\n");
        try (TestUpstream a = TestUpstream.named("a");
             InProcessProxy proxy = start("token-file = \"" + tokenFile() + "\"", """
                     frontends.fe {
                       bind = ["127.0.0.1:0"], default-backend = be
                       acl { blocked = "path_beg -f %s" }
                       http-request = [ "deny if blocked", "set-var(txn.color) path,map(%s,none)" ]
                       http-response = [ "set-header X-Color %%[var(txn.color)]" ]
                     }
                     backends.be { servers { a = "%s" } }
                     """.formatted(blocked, colors, a.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            String map = "/api/v1/maps/" + URLEncoder.encode(colors.toString(), StandardCharsets.UTF_8) + "/entries/";
            assertEquals("red", client.get("/a").header("X-Color"));
            assertEquals("none", client.get("/b").header("X-Color"));
            Answer set = write("PUT", map + "%2Fb", "{\"value\":\"blue\"}");
            assertEquals(200, set.status(), set.body());
            assertEquals("blue", client.get("/b").header("X-Color"));
            assertEquals(204, write("DELETE", map + "%2Fa", null).status());
            assertEquals("none", client.get("/a").header("X-Color"));
            Answer unknown = write("PUT", "/api/v1/maps/%2Fnot%2Floaded.map/entries/x", "{\"value\":\"y\"}");
            assertEquals(404, unknown.status(), unknown.body());
            Answer maps = get("/api/v1/maps");
            assertTrue(maps.body().matches("\\{\"maps\":\\[\\{\"id\":\\d+,\"file\":\"" + colors + "\",\"entries\":1}]}\n"), maps.body());
            Answer entries = get(map.substring(0, map.length() - 1));
            assertTrue(entries.body().matches("\\{\"entries\":\\[\\{\"ref\":\"0x[0-9a-f]+\",\"key\":\"/b\",\"value\":\"blue\"}]}\n"),
                    entries.body());
            Answer appended = write("POST", map.substring(0, map.length() - 1), "{\"key\":\"/c\",\"value\":\"green\"}");
            assertEquals(201, appended.status(), appended.body());
            assertEquals("green", client.get("/c").header("X-Color"));
            assertEquals(204, write("DELETE", map.substring(0, map.length() - 1), null).status());
            assertEquals("none", client.get("/c").header("X-Color"));
            assertEquals("none", client.get("/b").header("X-Color"));
            assertEquals(404, write("DELETE", map + "%2Fb", null).status(), "cleared: nothing left to delete");

            String acl = "/api/v1/acls/" + URLEncoder.encode(blocked.toString(), StandardCharsets.UTF_8) + "/entries";
            assertEquals(200, client.get("/secret/x").status());
            Answer added = write("POST", acl, "{\"pattern\":\"/secret\"}");
            assertEquals(201, added.status(), added.body());
            assertEquals(403, client.get("/secret/x").status());
            Answer acls = get(acl);
            assertTrue(acls.body().contains("\"pattern\":\"/never\"},{\"ref\":") && acls.body().contains("\"pattern\":\"/secret\"}]}"),
                    acls.body());
            assertEquals(204, write("DELETE", acl + "/%2Fsecret", null).status());
            try (TestClient again = new TestClient(proxy.port("fe"))) {
                assertEquals(200, again.get("/secret/x").status());
            }
        }
    }

    /** The subject of the certificate the TLS bind on {@code port} serves now, to a client trusting {@code ca}. */
    private static String servedSubject(int port, Path ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var in = Files.newInputStream(ca)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName("www.example.com")));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    @Test
    void certificatesReloadNowAndABindThatCannotLoadKeepsItsOwn() throws Exception {
        OpensslCertificates pki = new OpensslCertificates(dir.resolve("pki"));
        String san = "subjectAltName=DNS:www.example.com";
        Path site = pki.issue("certs/site.pem", "/CN=version one", 30, san, "01");
        try (TestUpstream a = TestUpstream.named("a");
             InProcessProxy proxy = start("token-file = \"" + tokenFile() + "\"", """
                     tls { reload-interval = 0 }
                     frontends.fe { bind = [ { address = "127.0.0.1:0", ssl = true, crt = "%s" } ], default-backend = be }
                     backends.be { servers { a = "%s" } }
                     """.formatted(site, a.address()))) {
            int port = proxy.port("fe");
            assertEquals("CN=version one", servedSubject(port, pki.ca()));
            pki.issue("certs/site.pem", "/CN=version two", 30, san, "02");
            assertEquals("CN=version one", servedSubject(port, pki.ca()), "no timer watches the files (reload-interval = 0)");
            Answer reload = write("POST", "/api/v1/certificates/reload", null);
            assertEquals(200, reload.status(), reload.body());
            assertEquals("{\"success\":true,\"binds\":1,\"reloaded\":1,\"problems\":[]}\n", reload.body());
            assertEquals("CN=version two", servedSubject(port, pki.ca()));

            Files.writeString(site, "not a certificate\n");
            Answer broken = write("POST", "/api/v1/certificates/reload", null);
            assertEquals(422, broken.status(), broken.body());
            assertTrue(broken.body().startsWith("{\"success\":false,\"binds\":1,\"reloaded\":0,\"problems\":[\""), broken.body());
            assertTrue(broken.body().contains("frontend fe: crt: "), broken.body());
            assertEquals("CN=version two", servedSubject(port, pki.ca()), "the certificates in service stay");
            assertEquals(405, get("/api/v1/certificates/reload").status());
        }
    }

    @Test
    void aReloadWithABadFileChangesNothingAndAnswersEveryProblem() throws Exception {
        try (TestUpstream a = TestUpstream.named("a");
             TestUpstream b = TestUpstream.named("b")) {
            String admin = "admin { bind = \"127.0.0.1:%d\", token-file = \"" + tokenFile() + "\" }\n";
            String good = """
                    log.target = none
                    %s
                    frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                    backends.be { servers { %s = "%s" } }
                    """;
            adminPort = freePort();
            // Started from its file, as bin/luagate does: a reload reads that file again.
            Path file = Files.writeString(dir.resolve("luagate.conf"), good.formatted(admin.formatted(adminPort), "a", a.address()));
            Path home = InProcessProxy.distribution();
            try (Luagate luagate = Luagate.start(ConfigLoader.load(file, home), home, file);
                 TestClient client = new TestClient(luagate.addresses("fe").get(0).getPort())) {
                int port = luagate.addresses("fe").get(0).getPort();
                assertEquals(Map.of("a", 2), spread(client, 2));
                Files.writeString(file, """
                        log.target = none
                        %s
                        frontends.fe { bind = ["127.0.0.1:0"], default-backend = nowhere, colour = red }
                        backends.be { servers { a = "%s" }, retries = -1 }
                        """.formatted(admin.formatted(adminPort), a.address()));
                Answer refused = write("POST", "/api/v1/reload", null);
                assertEquals(422, refused.status(), refused.body());
                assertTrue(refused.body().startsWith("{\"success\":false,\"generation\":1,\"problems\":["), refused.body());
                for (String problem : new String[] {"frontends.fe.colour: unknown key", "backends.be.retries", "nowhere"}) {
                    assertTrue(refused.body().contains(problem), "missing " + problem + " in " + refused.body());
                }
                assertEquals(Map.of("a", 2), spread(client, 2));

                Files.writeString(file, good.formatted(admin.formatted(adminPort), "b", b.address()));
                Answer reloaded = write("POST", "/api/v1/reload", null);
                assertEquals(200, reloaded.status(), reloaded.body());
                assertTrue(reloaded.body().startsWith("{\"success\":true,\"generation\":2,\"problems\":[]"), reloaded.body());
                try (TestClient next = new TestClient(port)) {
                    assertEquals(Map.of("b", 3), spread(next, 3));
                }
                Answer servers = get("/api/v1/backends/be/servers");
                assertTrue(servers.body().startsWith("{\"servers\":[{\"name\":\"b\""), servers.body());
                assertTrue(get("/api/v1/info").body().contains("\"generation\":2"));
            }
        }
    }

    @Test
    @Disabled("the Lua plugin reports no figures yet: waits for the luastats branch's accounting in plugins/lua")
    void luaFunctionsShowTheirCalls() throws Exception {
        Path script = Files.writeString(dir.resolve("count.lua"), """
                core.register_fetches("twice", function(txn, x) return x .. x end)
                """);
        try (TestUpstream a = TestUpstream.named("a");
             InProcessProxy proxy = start("token-file = \"" + tokenFile() + "\"", """
                     lua.load-per-thread = [ "%s" ]
                     frontends.fe {
                       bind = ["127.0.0.1:0"], default-backend = be
                       http-request = [ "set-header X-Twice %%[lua.twice(ab)]" ]
                     }
                     backends.be { servers { a = "%s" } }
                     """.formatted(script, a.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            spread(client, 3);
            Answer lua = get("/api/v1/lua");
            assertEquals(200, lua.status(), lua.body());
            assertTrue(lua.body().startsWith("{\"functions\":[{\"name\":\"twice\",\"kind\":\"fetch\",\"calls\":3,\"errors\":0,"),
                    lua.body());
        }
    }

    @Test
    void aServerWithAStreamOnItIsNotRemovedUntilTheStreamEnds() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (TestUpstream slow = TestUpstream.with("slow", (request, connection, out) -> {
                 arrived.countDown();
                 release.await(10, TimeUnit.SECONDS);
                 TestUpstream.respond(out, 200, Map.of("X-Served-By", "slow"), "late".getBytes(StandardCharsets.UTF_8));
                 return true;
             });
             InProcessProxy proxy = start("token-file = \"" + tokenFile() + "\"", """
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                     backends.be { servers { slow = "%s" } }
                     """.formatted(slow.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("GET /held HTTP/1.1\r\nHost: test\r\n\r\n");
            assertTrue(arrived.await(5, TimeUnit.SECONDS));
            assertEquals(200, write("PATCH", "/api/v1/backends/be/servers/slow", "{\"state\":\"maint\"}").status());
            assertTrue(get("/api/v1/backends/be/servers/slow").body().contains("\"current_streams\":1"));
            Answer busy = write("DELETE", "/api/v1/backends/be/servers/slow", null);
            assertEquals(409, busy.status());
            assertEquals("{\"error\":\"Server still has connections attached to it, cannot remove it.\"}\n", busy.body());
            release.countDown();
            assertEquals("late", client.read().bodyText(), "the stream on it went on to its end");
            // The stream's end is counted on its loop just after its last byte.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            Answer removed = write("DELETE", "/api/v1/backends/be/servers/slow", null);
            while (removed.status() == 409 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                removed = write("DELETE", "/api/v1/backends/be/servers/slow", null);
            }
            assertEquals(204, removed.status(), removed.body());
            assertEquals(503, client.get("/after").status(), "no server left: 503 at once");
        }
    }

    @Test
    void anAddedServerTakesTrafficOnEveryEventLoop() throws Exception {
        try (TestUpstream a = TestUpstream.named("a");
             TestUpstream n = TestUpstream.named("n");
             InProcessProxy proxy = start("token-file = \"" + tokenFile() + "\"", """
                     global.threads = 2
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                     backends.be { servers { a = "%s" } }
                     """.formatted(a.address()))) {
            List<TestClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    clients.add(new TestClient(proxy.port("fe")));
                    assertEquals(Map.of("a", 1), spread(clients.get(i), 1), "each connection is served before the change");
                }
                Answer added = write("POST", "/api/v1/backends/be/servers",
                        "{\"name\":\"n\",\"address\":\"" + n.address() + "\",\"state\":\"ready\"}");
                assertEquals(201, added.status(), added.body());
                assertTrue(added.body().contains("\"state\":\"ready\""), added.body());
                // Connections are spread over both loops: every one of them reaches the new server.
                for (TestClient client : clients) {
                    assertEquals(Map.of("a", 2, "n", 2), spread(client, 4));
                }
            } finally {
                for (TestClient client : clients) {
                    client.close();
                }
            }
        }
    }
}
