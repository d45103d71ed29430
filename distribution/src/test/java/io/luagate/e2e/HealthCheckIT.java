package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import io.luagate.spi.proxy.Server;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Health checks against real upstreams that die and come back: servers marked down within
 * {@code fall * inter} and up again after {@code rise} checks, HTTP checks with wrong statuses and
 * bodies, backup servers, passive checks, and what Lua, Prometheus and the log see of it.
 */
class HealthCheckIT {

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private Logger healthLogger;

    @BeforeEach
    void captureTransitions() {
        healthLogger = (Logger) LoggerFactory.getLogger("io.luagate.health");
        log.start();
        healthLogger.addAppender(log);
    }

    @AfterEach
    void release() {
        healthLogger.detachAppender(log);
    }

    private List<String> lines() {
        // The appender adds under its own lock (AppenderBase.doAppend is synchronized).
        synchronized (log) {
            return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** Whether a transition line matching {@code test} is logged within 2 s: the state changes just before its line. */
    private boolean logged(java.util.function.Predicate<String> test) throws InterruptedException {
        long end = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < end) {
            if (lines().stream().anyMatch(test)) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    private static Server server(InProcessProxy proxy, String backend, String name) {
        return proxy.luagate().proxies().backends().get(backend).servers().stream()
                .filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** Polls until {@code server}'s status is {@code status}; returns how long it took, in ms. */
    private static long await(Server server, String status, long maxMillis) throws InterruptedException {
        long start = System.nanoTime();
        while (!server.status().equals(status)) {
            long took = (System.nanoTime() - start) / 1_000_000;
            if (took > maxMillis) {
                throw new AssertionError(server.name() + " is '" + server.status() + "' after " + took + " ms, not '" + status
                        + "' (last check " + server.checkState().last() + ")");
            }
            Thread.sleep(5);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Every distinct status {@code server} goes through until it reaches {@code last}. */
    private static List<String> statuses(Server server, String last, long maxMillis) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long end = System.nanoTime() + maxMillis * 1_000_000;
        while (System.nanoTime() < end) {
            String now = server.status();
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(now)) {
                seen.add(now);
            }
            if (now.equals(last)) {
                return seen;
            }
            Thread.sleep(2);
        }
        throw new AssertionError(server.name() + " went through " + seen + " but not to '" + last + "'");
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static TestUpstream.Handler answering(String name, AtomicInteger healthStatus) {
        return (request, connection, out) -> {
            if (request.target().equals("/health")) {
                int status = healthStatus.get();
                Http.write(out, "HTTP/1.1 " + status + (status == 200 ? " OK" : " Internal Server Error"), Map.of(),
                        (status == 200 ? "ready" : "broken").getBytes(StandardCharsets.UTF_8));
            } else {
                TestUpstream.respond(out, 200, Map.of("X-Served-By", name), name.getBytes(StandardCharsets.UTF_8));
            }
            return true;
        };
    }

    @Test
    void aServerKilledMidTrafficIsMarkedDownWithinFallTimesInterAndRedispatchHidesIt() throws Exception {
        int portA = freePort();
        AtomicInteger health = new AtomicInteger(200);
        AtomicReference<TestUpstream> a = new AtomicReference<>(TestUpstream.on(portA, "a", answering("a", health)));
        try (TestUpstream b = TestUpstream.with("b", answering("b", health));
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     global.threads = 2
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = app }
                     backends.app {
                       redispatch = true, retries = 3, timeout.connect = 1s
                       default-server { inter = 200ms, rise = 2, fall = 3 }
                       servers { a { address = "127.0.0.1:%d", check = true }, b { address = "%s", check = true } }
                     }
                     """.formatted(portA, b.address()))) {
            Server serverA = server(proxy, "app", "a");
            await(serverA, "UP", 2000);
            await(server(proxy, "app", "b"), "UP", 2000);
            AtomicBoolean running = new AtomicBoolean(true);
            List<Integer> failures = new CopyOnWriteArrayList<>();
            AtomicInteger served = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            int clientCount = 4;
            for (int i = 0; i < clientCount; i++) {
                clients.add(Thread.ofPlatform().start(() -> {
                    while (running.get()) {
                        try (TestClient client = new TestClient(proxy.port("fe"))) {
                            Http.Message response = client.get("/work");
                            if (response.status() != 200) {
                                failures.add(response.status());
                            } else {
                                served.incrementAndGet();
                            }
                        } catch (IOException e) {
                            failures.add(-1);
                        }
                    }
                }));
            }
            Thread.sleep(300);
            a.get().close();
            long down = await(serverA, "DOWN", 3000);
            // The check that was due may run right after the kill, or an inter later: fall * inter, plus one check's slack.
            assertTrue(down <= 3 * 200 + 200 + 150, "marked down after " + down + " ms");
            int servedWhileDown = served.get();
            Thread.sleep(300);
            assertTrue(served.get() > servedWhileDown, "b serves everything meanwhile");
            // Only a request already on a when it died may fail: each client has at most one.
            assertTrue(failures.size() <= clientCount, "errors beyond the requests in flight: " + failures);

            a.set(TestUpstream.on(portA, "a", answering("a", health)));
            long up = await(serverA, "UP", 3000);
            assertTrue(up <= 2 * 200 + 200 + 150, "up again after " + up + " ms");
            int before = a.get().requestCount();
            Thread.sleep(300);
            running.set(false);
            for (Thread t : clients) {
                t.join();
            }
            assertTrue(a.get().requestCount() > before, "a takes traffic again");
            assertTrue(failures.size() <= clientCount, "errors beyond the requests in flight: " + failures);
            assertTrue(serverA.downTransitions() >= 1);
            assertTrue(logged(l -> l.startsWith(
                    "Server app/a is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", check duration: ")),
                    lines().toString());
            assertTrue(logged(l -> l.matches("Server app/a is UP, reason: Layer4 check passed, "
                    + "check duration: \\d+ms\\. 2 active and 0 backup servers online\\. 0 sessions requeued, 0 total in queue\\.")),
                    lines().toString());
        } finally {
            a.get().close();
        }
    }

    @Test
    void httpChecksJudgeStatusAndBodyAndCountRiseAndFall() throws Exception {
        AtomicInteger health = new AtomicInteger(200);
        List<String> checkRequests = new CopyOnWriteArrayList<>();
        try (TestUpstream a = TestUpstream.with("a", (request, connection, out) -> {
                 if (request.target().equals("/health")) {
                     checkRequests.add(request.startLine() + " host=" + request.header("host"));
                 }
                 return answering("a", health).handle(request, connection, out);
             });
             TestUpstream b = TestUpstream.with("b", answering("b", new AtomicInteger(200)));
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = app }
                     backends.app {
                       httpchk = "GET /health HTTP/1.1"
                       http-check = [ "send hdr Host example.com", "expect status 200" ]
                       default-server { inter = 150ms, rise = 2, fall = 3 }
                       servers { a { address = "%s", check = true }, b { address = "%s", check = true } }
                     }
                     backends.body {
                       httpchk = "GET /health", http-check = [ "expect string ready" ]
                       servers { s { address = "%s", check = true, inter = 150ms, fall = 1 } }
                     }
                     """.formatted(a.address(), b.address(), a.address()))) {
            Server serverA = server(proxy, "app", "a");
            await(serverA, "UP", 2000);
            assertTrue(checkRequests.contains("GET /health HTTP/1.1 host=example.com"), checkRequests.toString());

            health.set(500);
            List<String> going = statuses(serverA, "DOWN", 3000);
            assertEquals(List.of("UP", "UP 2/3", "UP 1/3", "DOWN"), going.subList(going.indexOf("UP"), going.size()));
            assertEquals("L7STS", serverA.checkState().statusField().replace("* ", ""));
            assertEquals(500, serverA.checkState().last().code());
            assertEquals("Internal Server Error", serverA.checkState().last().info());
            assertTrue(serverA.checkState().failedChecks() >= 3);
            assertTrue(logged(l -> l.matches("Server app/a is DOWN, reason: Layer7 wrong status, code: 500, "
                    + "info: \"Internal Server Error\", check duration: \\d+ms\\. 1 active and 0 backup servers left\\. "
                    + "0 sessions active, 0 requeued, 0 remaining in queue\\.")), lines().toString());
            Server body = server(proxy, "body", "s");
            await(body, "DOWN", 2000);
            assertEquals("L7RSP", body.checkState().last().status().code());
            assertEquals("HTTP content check did not match", body.checkState().last().info());
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                for (int i = 0; i < 4; i++) {
                    assertEquals("b", client.get("/x" + i).header("x-served-by"), "a DOWN server takes no traffic");
                }
            }

            health.set(200);
            List<String> coming = statuses(serverA, "UP", 3000);
            assertEquals(List.of("DOWN", "DOWN 1/2", "UP"), coming);
            await(body, "UP", 2000);
            assertEquals(1, serverA.downTransitions());
            // Logged once per transition.
            assertTrue(logged(l -> l.startsWith("Server app/a is UP")), lines().toString());
            assertEquals(1, lines().stream().filter(l -> l.startsWith("Server app/a is DOWN")).count(), lines().toString());
            assertEquals(1, lines().stream().filter(l -> l.startsWith("Server app/a is UP")).count(), lines().toString());
        }
    }

    @Test
    void backupTakesOverOnlyWhenNoActiveServerIsUpAndANoServerBackendAnswers503AtOnce() throws Exception {
        AtomicInteger healthA = new AtomicInteger(200);
        AtomicInteger healthB = new AtomicInteger(200);
        try (TestUpstream a = TestUpstream.with("a", answering("a", healthA));
             TestUpstream b = TestUpstream.with("b", answering("b", healthB));
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = "%s"
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = app }
                     backends.app {
                       httpchk = "GET /health", http-check = [ "expect status 200" ]
                       default-server { inter = 100ms, rise = 2, fall = 2 }
                       servers { a { address = "%s", check = true }, b { address = "%s", check = true, backup = true } }
                     }
                     """.formatted(dir.resolve("access.log"), a.address(), b.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            await(server(proxy, "app", "a"), "UP", 2000);
            await(server(proxy, "app", "b"), "UP", 2000);
            for (int i = 0; i < 3; i++) {
                assertEquals("a", client.get("/" + i).header("x-served-by"));
            }
            healthA.set(500);
            await(server(proxy, "app", "a"), "DOWN", 2000);
            for (int i = 0; i < 3; i++) {
                assertEquals("b", client.get("/" + i).header("x-served-by"), "the backup takes over");
            }
            assertTrue(logged(l -> l.contains("Server app/a is DOWN") && l.contains("0 active and 1 backup servers left. Running on backup.")),
                    lines().toString());
            healthB.set(500);
            await(server(proxy, "app", "b"), "DOWN", 2000);
            assertTrue(logged(l -> l.equals("backend app has no server available!")), lines().toString());
            long start = System.nanoTime();
            Http.Message none = client.get("/none");
            long took = (System.nanoTime() - start) / 1_000_000;
            assertEquals(503, none.status());
            assertTrue(took < 500, "no usable server: 503 at once, not after retries: " + took + " ms");
            Path accessLog = dir.resolve("access.log");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!(Files.exists(accessLog) && Files.readString(accessLog).contains("GET /none"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            String noServer = Files.readString(accessLog).lines().filter(l -> l.contains("GET /none")).findFirst().orElseThrow();
            assertTrue(noServer.contains(" fe app/<NOSRV> ") && noServer.contains(" 503 ") && noServer.contains(" SC-- "), noServer);
            assertTrue(Files.readString(accessLog).lines().anyMatch(l -> l.contains(" fe app/b ") && l.contains(" 200 ")),
                    "the log names the backup that served");
            healthA.set(200);
            healthB.set(200);
            await(server(proxy, "app", "a"), "UP", 2000);
            assertEquals("a", client.get("/back").header("x-served-by"), "the active server takes traffic back");
        }
    }

    @Test
    void observedConnectErrorsMarkAServerDownBeforeItsChecksDo() throws Exception {
        int portA = freePort();
        TestUpstream a = TestUpstream.on(portA, "a", answering("a", new AtomicInteger(200)));
        try (TestUpstream b = TestUpstream.named("b");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = app }
                     backends.app {
                       redispatch = true, http-reuse = never
                       servers {
                         a { address = "127.0.0.1:%d", check = true, inter = 20s, observe = layer4, error-limit = 2, on-error = mark-down }
                         b = "%s"
                       }
                     }
                     """.formatted(portA, b.address()))) {
            Server serverA = server(proxy, "app", "a");
            // The first check runs at once; the next one only 20 s later.
            await(serverA, "UP", 2000);
            a.close();
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                for (int i = 0; i < 6; i++) {
                    assertEquals(200, client.get("/" + i).status(), "redispatch hides the refused connects");
                }
            }
            await(serverA, "DOWN", 1000);
            assertEquals("HANA", serverA.checkState().last().status().code());
            // The stream whose connect failed last may still be on a when the line is written.
            assertTrue(logged(l -> l.matches("Server app/a is DOWN, reason: Health analyze, info: "
                    + "\"Detected 2 consecutive errors, last one was: L4 unsuccessful connection\"\\. 1 active and 0 backup servers left\\. "
                    + "[01] sessions active, 0 requeued, 0 remaining in queue\\.")), lines().toString());
        } finally {
            a.close();
        }
    }

    @Test
    void luaAndPrometheusSeeTheStatesAsHaproxyFillsThem() throws Exception {
        Path lua = Files.writeString(dir.resolve("stats.lua"), """
                core.register_service("stats", "http", function(applet)
                  local s = core.backends["app"].servers[applet.path:sub(2)]:get_stats()
                  local keys = {}
                  for k, v in pairs(s) do
                    if k:find("chk") or k:find("check") or k == "status" or k == "downtime" then
                      keys[#keys + 1] = k .. "=" .. tostring(v)
                    end
                  end
                  table.sort(keys)
                  local body = table.concat(keys, "\\n")
                  applet:set_status(200)
                  applet:add_header("content-length", #body)
                  applet:start_response()
                  applet:send(body)
                end)
                """);
        AtomicInteger health = new AtomicInteger(500);
        try (TestUpstream a = TestUpstream.with("a", answering("a", health));
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load = [ "%s" ]
                     frontends.fe { bind = ["127.0.0.1:0"], http-request = [
                       "use-service prometheus-exporter if { path /metrics }", "use-service lua.stats" ] }
                     backends.app {
                       httpchk = "GET /health"
                       servers { a { address = "%s", check = true, inter = 100ms, fall = 1 }, u = "%s" }
                     }
                     """.formatted(lua, a.address(), a.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            await(server(proxy, "app", "a"), "DOWN", 2000);
            String stats = client.get("/a").bodyText();
            List<String> fields = stats.lines().filter(l -> !l.startsWith("check_duration=") && !l.startsWith("downtime="))
                    .map(l -> l.startsWith("check_status=* ") ? "check_status=" + l.substring(15) : l).toList();
            // As HAProxy 2.6 fills them for a server whose first check failed (a DOWN server's failures count no more).
            assertEquals(List.of("check_code=500", "check_desc=Layer7 wrong status", "check_fall=1", "check_health=0",
                    "check_rise=2", "check_status=L7STS", "chkdown=1", "chkfail=1", "last_chk=Internal Server Error",
                    "status=DOWN"), fields, stats);
            assertTrue(stats.lines().anyMatch(l -> l.matches("check_duration=\\d+")), stats);
            assertEquals("status=no check", client.get("/u").bodyText().trim(), "an unchecked server has no check fields");

            String metrics = client.get("/metrics").bodyText();
            for (String line : List.of(
                    "haproxy_server_status{proxy=\"app\",server=\"a\",state=\"DOWN\"} 1",
                    "haproxy_server_status{proxy=\"app\",server=\"a\",state=\"UP\"} 0",
                    "haproxy_server_status{proxy=\"app\",server=\"u\",state=\"UP\"} 1",
                    "haproxy_server_check_status{proxy=\"app\",server=\"a\",state=\"L7STS\"} 1",
                    "haproxy_server_check_status{proxy=\"app\",server=\"a\",state=\"L7OK\"} 0",
                    "haproxy_server_check_code{proxy=\"app\",server=\"a\"} 500",
                    "haproxy_server_check_up_down_total{proxy=\"app\",server=\"a\"} 1")) {
                assertTrue(metrics.lines().anyMatch(l -> l.equals(line) || l.equals(line + ".0")), "missing '" + line + "' in:\n" + metrics);
            }
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("haproxy_server_check_failures_total{proxy=\"app\",server=\"a\"} ")), metrics);
            assertFalse(metrics.contains("haproxy_server_check_failures_total{proxy=\"app\",server=\"u\"}"), "no check, no check figures");

            health.set(200);
            await(server(proxy, "app", "a"), "UP", 2000);
            assertTrue(client.get("/a").bodyText().contains("check_status=L7OK"));
        }
    }

    @Test
    void checkWithoutThePluginRefusesTheStartNamingIt() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        try (var jars = Files.list(InProcessProxy.distribution().resolve("plugins"))) {
            for (Path jar : jars.toList()) {
                if (!jar.getFileName().toString().startsWith("luagate-plugin-health-check-")) {
                    Files.copy(jar, plugins.resolve(jar.getFileName()));
                }
            }
        }
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> InProcessProxy.start("""
                log.target = none
                plugins.dir = "%s"
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = app }
                backends.app { servers { a { address = "127.0.0.1:9", check = true } } }
                """.formatted(plugins)).close());
        assertTrue(e.getMessage().contains("backends.app.servers.a.check: check = true needs the plugin health-check, "
                + "but no installed plugin provides health checks"), e.getMessage());
    }
}
