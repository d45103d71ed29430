package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.DistributionProcess;
import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unpacked distribution used as a user would: bin/luagate and its commands. */
class DistributionIT {

    private final Path dist = InProcessProxy.distribution();

    @Test
    void layoutHasOneFilePerPlugin() throws IOException {
        assertTrue(Files.isExecutable(dist.resolve("bin/luagate")));
        assertTrue(Files.isRegularFile(dist.resolve("conf/luagate.conf")));
        assertTrue(Files.isRegularFile(dist.resolve("conf/lua/blue-green.lua")));
        try (Stream<Path> plugins = Files.list(dist.resolve("plugins"))) {
            List<String> names = plugins.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(10, names.size(), names.toString());
            assertTrue(names.stream().allMatch(n -> n.startsWith("luagate-plugin-") && n.endsWith(".jar")), names.toString());
        }
        assertTrue(Files.isRegularFile(dist.getParent().resolve("luagate-" + version() + ".tar.gz")));
    }

    private String version() throws IOException {
        try (Stream<Path> lib = Files.list(dist.resolve("lib"))) {
            String kernel = lib.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("luagate-kernel-"))
                    .findFirst().orElseThrow();
            return kernel.substring("luagate-kernel-".length(), kernel.length() - ".jar".length());
        }
    }

    @Test
    void versionAndPluginsCommands() throws Exception {
        DistributionProcess version = DistributionProcess.run(dist, "version");
        assertEquals(0, version.exitValue(), version.output());
        assertTrue(version.output().contains("luagate " + version()), version.output());

        DistributionProcess plugins = DistributionProcess.run(dist, "plugins");
        assertEquals(0, plugins.exitValue(), plugins.output());
        String out = plugins.output();
        for (String expected : List.of("\nhttp " + version() + " (", "\ntcp " + version(), "\nbalancer-roundrobin " + version(),
                "\npool " + version(), "\n  mode http\n", "\n  mode tcp\n", "\n  balance roundrobin\n",
                "\n  config section global.tune.h2\n", "\n  config section lua\n", "\n  config section tls\n",
                "\nstats-page " + version(), "\n  service stats-page\n", "\n  config section stats-page\n",
                "\n  pool (upstream connection pools: http-reuse)\n", "\n  tls (ssl = true on binds and servers)\n",
                "  provider:    luagate\n", "  requires:    SPI level ")) {
            assertTrue(out.contains(expected), "missing '" + expected + "' in:\n" + out);
        }

        DistributionProcess build = DistributionProcess.run(dist, "version", "-vv");
        assertEquals(0, build.exitValue(), build.output());
        String vv = build.output();
        for (String expected : List.of("luagate version " + version() + " ", " - commit ", "\nSPI level : ",
                "\nRunning on: Java ", "\nTLS engine : ", "\nTotal: 2 (", "Available plugins (in " + dist.resolve("plugins"),
                "\n  lua " + version() + "\n", "\n  tls " + version() + "\n")) {
            assertTrue(vv.contains(expected), "missing '" + expected + "' in:\n" + vv);
        }
    }

    @Test
    void checkCommandValidatesLikeHaproxyC() throws Exception {
        DistributionProcess good = DistributionProcess.run(dist, "check");
        assertEquals(0, good.exitValue(), good.output());
        assertTrue(good.output().contains("is valid"), good.output());

        Path bad = InProcessProxy.writeConfig("""
                frontends.web {
                  bind = ["127.0.0.1:8080"]
                  http-request = [ "frobnicate now" ]
                  default-backend = app
                }
                backends.app { servers { a = "127.0.0.1:notaport" }, retries = many }
                """);
        DistributionProcess check = DistributionProcess.run(dist, "check", "-c", bad.toString());
        assertEquals(1, check.exitValue(), check.output());
        String out = check.output();
        assertTrue(out.contains(bad + ":6: backends.app.servers.a.address: 'notaport' in '127.0.0.1:notaport' is not a port number"), out);
        assertTrue(out.contains(bad + ":6: backends.app.retries: retries has type STRING rather than NUMBER"), out);

        Path badRule = InProcessProxy.writeConfig("""
                frontends.web {
                  bind = ["127.0.0.1:8080"]
                  http-request = [ "frobnicate now" ]
                }
                """);
        DistributionProcess rule = DistributionProcess.run(dist, "check", "-c", badRule.toString());
        assertEquals(1, rule.exitValue(), rule.output());
        assertTrue(rule.output().contains(badRule + ":3: frontends.web.http-request: in rule \"frobnicate now\" (column 1): "
                + "unknown http-request action 'frobnicate'; known: add-header, allow,"), rule.output());
    }

    @Test
    void environmentOverridesApplyAndAreValidatedToo() throws Exception {
        DistributionProcess bad = DistributionProcess.start(dist, Map.of("CONFIG_FORCE_global_threads", "-5"), "check");
        assertTrue(bad.process().waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, bad.exitValue(), bad.output());
        assertTrue(bad.output().contains("global.threads: -5 is out of range"), bad.output());
    }

    @Test
    void defaultConfigurationServesTheDemoThenStopsOnSigterm() throws Exception {
        try (DistributionProcess luagate = DistributionProcess.start(dist, Map.of(), "run")) {
            luagate.awaitListening(8080, Duration.ofSeconds(30));
            Set<String> upstreams = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                try (TestClient client = new TestClient(8080)) {
                    Http.Message response = client.get("/");
                    assertEquals(200, response.status(), luagate.output());
                    upstreams.add(response.header("x-upstream"));
                }
            }
            assertEquals(Set.of("a", "b"), upstreams, "two requests, both upstreams");
            assertEquals(0, luagate.terminate(Duration.ofSeconds(20)), luagate.output());
            // HAProxy's httplog shape: ip:port [date] frontend backend/server Tq/Tw/Tc/Tr/Tt status bytes - - TS-- ac/rc "request"
            String line = "(?m)^127\\.0\\.0\\.1:\\d+ \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\] "
                    + "web demo/[ab] \\d+/0/\\d+/\\d+/\\d+ 200 \\d{3} - - ---- \\d+/0 \"GET / HTTP/1\\.1\"$";
            assertTrue(java.util.regex.Pattern.compile(line).matcher(luagate.output()).find(), "access log:\n" + luagate.output());
            String local = "(?m)^127\\.0\\.0\\.1:\\d+ \\[[^]]+\\] upstream-[ab] upstream-[ab]/<NOSRV> \\d+/0/-1/-1/\\d+ 200 \\d+ - - LR-- ";
            assertTrue(java.util.regex.Pattern.compile(local).matcher(luagate.output()).find(), "access log:\n" + luagate.output());
        }
    }

    @Test
    void fallsBackToNioWithoutTheNativeTransport() throws Exception {
        int port = DistributionProcess.freePort();
        Path config = InProcessProxy.writeConfig("""
                global.threads = 2
                frontends.fe { bind = ["127.0.0.1:%d"], http-request = [ "return content-type text/plain string nio" ] }
                """.formatted(port));
        try (DistributionProcess luagate = DistributionProcess.start(dist,
                Map.of("JAVA_OPTS", "-Dio.netty.transport.noNative=true"), "run", "-c", config.toString())) {
            luagate.awaitListening(port, Duration.ofSeconds(30));
            for (int i = 0; i < 4; i++) {
                try (TestClient client = new TestClient(port)) {
                    assertEquals("nio", client.get("/").bodyText());
                }
            }
            assertEquals(0, luagate.terminate(Duration.ofSeconds(20)), luagate.output());
            assertTrue(luagate.output().contains("2 event loop(s), nio transport"), luagate.output());
        }
    }

    @Test
    void aSecondSigtermEndsTheGracePeriod() throws Exception {
        int port = DistributionProcess.freePort();
        try (TestUpstream stuck = TestUpstream.with("stuck", (request, connection, out) -> {
                 Thread.sleep(30_000);
                 return false;
             })) {
            Path config = InProcessProxy.writeConfig("""
                    global.grace = 60s
                    frontends.fe { bind = ["127.0.0.1:%d"], default-backend = be }
                    backends.be { timeout.server = 60s, servers { s = "%s" } }
                    """.formatted(port, stuck.address()));
            try (DistributionProcess luagate = DistributionProcess.start(dist, Map.of(), "run", "-c", config.toString());
                 TestClient client = new TestClient(awaitPort(luagate, port))) {
                client.send("GET /stuck HTTP/1.1\r\nHost: t\r\n\r\n");
                Thread.sleep(500);
                luagate.process().destroy();
                Thread.sleep(500);
                assertTrue(luagate.process().isAlive(), "still draining the request in flight");
                long start = System.nanoTime();
                luagate.process().destroy();
                assertTrue(luagate.process().waitFor(10, TimeUnit.SECONDS), luagate.output());
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
                assertEquals(0, luagate.exitValue(), luagate.output());
                assertTrue(client.closedByServer(2000), "what was left is closed");
            }
        }
    }

    @Test
    void sigtermLetsTheRequestInFlightFinish() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        int port = DistributionProcess.freePort();
        try (TestUpstream slow = TestUpstream.with("slow", (request, connection, out) -> {
                 arrived.countDown();
                 Thread.sleep(1000);
                 TestUpstream.respond(out, 200, Map.of(), "finished".getBytes());
                 return true;
             })) {
            Path config = InProcessProxy.writeConfig("""
                    global.grace = 10s
                    frontends.fe { bind = ["127.0.0.1:%d"], default-backend = be }
                    backends.be { servers { s = "%s" } }
                    """.formatted(port, slow.address()));
            try (DistributionProcess luagate = DistributionProcess.start(dist, Map.of(), "run", "-c", config.toString());
                 TestClient client = new TestClient(awaitPort(luagate, port))) {
                client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
                assertTrue(arrived.await(10, TimeUnit.SECONDS));
                luagate.process().destroy();
                Http.Message response = client.read();
                assertEquals(200, response.status());
                assertEquals("finished", response.bodyText());
                assertEquals("close", response.header("connection"), "draining: no keep-alive");
                assertTrue(luagate.process().waitFor(15, TimeUnit.SECONDS), luagate.output());
                assertEquals(0, luagate.exitValue(), luagate.output());
            }
        }
    }

    private static int awaitPort(DistributionProcess process, int port) throws InterruptedException {
        process.awaitListening(port, Duration.ofSeconds(30));
        return port;
    }

    @Test
    void missingJavaIsReportedClearly(@TempDir Path fakeJava) throws Exception {
        Path bin = Files.createDirectories(fakeJava.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"17.0.15\" 2025-04-15' >&2\n");
        java.toFile().setExecutable(true);
        DistributionProcess old = DistributionProcess.start(dist, Map.of("JAVA_HOME", fakeJava.toString()), "version");
        assertTrue(old.process().waitFor(20, TimeUnit.SECONDS));
        assertEquals(1, old.exitValue());
        assertTrue(old.output().contains("luagate needs Java 21 or newer"), old.output());
    }
}
