package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import io.luagate.kernel.Luagate;
import io.luagate.kernel.config.ConfigLoader;
import io.luagate.kernel.config.ConfigProblem;
import io.luagate.kernel.proxy.DefaultServer;
import io.luagate.spi.proxy.ServerAdmin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The balancer plugins of the default distribution (leastconn, random, hash), loaded as jars from
 * target/luagate/plugins by a real kernel, in front of real upstream servers. Where HAProxy 2.6.12
 * was run with the same configuration, its picks are the expected ones.
 */
class BalancerPluginsIT {

    /** Upstreams that hold every request whose path starts with /hold until released, and record who got what. */
    private static final class Holding implements AutoCloseable {
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> arrivals = new CopyOnWriteArrayList<>();
        final List<TestUpstream> upstreams = new ArrayList<>();

        Holding(String... names) throws IOException {
            for (String name : names) {
                upstreams.add(TestUpstream.with(name, (request, connection, out) -> {
                    arrivals.add(name);
                    if (request.target().startsWith("/hold")) {
                        release.await(20, TimeUnit.SECONDS);
                    }
                    TestUpstream.respond(out, 200, Map.of("X-Served-By", name), name.getBytes(StandardCharsets.UTF_8));
                    return true;
                }));
            }
        }

        String address(int i) {
            return upstreams.get(i).address();
        }

        /** Sends {@code GET path} on a new connection and waits until an upstream has it. */
        TestClient sendAndWait(int port, String path, String... headers) throws Exception {
            int before = arrivals.size();
            TestClient client = new TestClient(port);
            client.send("GET " + path + " HTTP/1.1\r\nHost: test\r\n" + String.join("", headers) + "\r\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (arrivals.size() == before) {
                assertTrue(System.nanoTime() < deadline, "no upstream received " + path);
                Thread.sleep(5);
            }
            return client;
        }

        @Override
        public void close() throws IOException {
            release.countDown();
            for (TestUpstream upstream : upstreams) {
                upstream.close();
            }
        }
    }

    private static String served(List<String> arrivals) {
        return String.join("", arrivals);
    }

    private static void closeAll(List<TestClient> clients) throws IOException {
        for (TestClient client : clients) {
            assertEquals(200, client.read().status());
            client.close();
        }
    }

    private static List<DefaultServer> servers(InProcessProxy proxy, String backend) {
        return proxy.luagate().proxies().backends().get(backend).servers();
    }

    /** The kernel's load figures drop back to 0 once every stream ended. */
    private static void assertIdle(InProcessProxy proxy, String backend) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (DefaultServer server : servers(proxy, backend)) {
            while (server.currentStreams() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, server.currentStreams(), server.name() + " still counts streams");
        }
    }

    @Test
    void leastconnFollowsHaproxyWithHeldRequestsAndWeights() throws Exception {
        try (Holding up = new Holding("a", "b");
             InProcessProxy proxy = InProcessProxy.start("""
                     global.threads = 1
                     log.target = none
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                     backends.be { balance = leastconn, servers {
                       a = { address = "%s", weight = 1 }
                       b = { address = "%s", weight = 2 } } }
                     """.formatted(up.address(0), up.address(1)))) {
            List<TestClient> held = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                held.add(up.sendAndWait(proxy.port("fe"), "/hold" + i));
            }
            // HAProxy 2.6.12, same servers, eight requests held open one after the other.
            assertEquals("abbbabba", served(up.arrivals));
            assertEquals(3, servers(proxy, "be").get(0).currentStreams());
            assertEquals(5, servers(proxy, "be").get(1).currentStreams());
            up.release.countDown();
            closeAll(held);
            assertIdle(proxy, "be");
        }
    }

    @Test
    void leastconnSendsShortRequestsAroundABusyServer() throws Exception {
        try (Holding up = new Holding("a", "b", "c");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                     backends.be { balance = leastconn, servers { a = "%s", b = "%s", c = "%s" } }
                     """.formatted(up.address(0), up.address(1), up.address(2)))) {
            TestClient busy = up.sendAndWait(proxy.port("fe"), "/hold");
            String holder = up.arrivals.get(0);
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                for (int i = 0; i < 12; i++) {
                    Http.Message response = client.get("/short" + i);
                    assertEquals(200, response.status());
                    assertNotEquals(holder, response.header("x-served-by"), "the busy server takes nothing");
                }
            }
            up.release.countDown();
            closeAll(List.of(busy));
            assertIdle(proxy, "be");
        }
    }

    /**
     * Failed connects retried on another server, and a connect abandoned after its client left,
     * leave no count behind. As in HAProxy (without {@code option abortonclose}), a client leaving
     * does not cut the connect short: the stream ends when the attempt fails.
     */
    @Test
    void retriesAndAbandonedConnectsLeaveNoLoadBehind() throws Exception {
        int deadPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = probe.getLocalPort();
        }
        // Accepts connections and never says a word: a TLS handshake to it stays pending.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             TestUpstream b = TestUpstream.named("b");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                     frontends.stuck { bind = ["127.0.0.1:0"], default-backend = stuck }
                     backends.be { balance = leastconn, retries = 3, redispatch = 1, timeout.connect = 100ms,
                       servers { dead = "127.0.0.1:%d", b = "%s" } }
                     backends.stuck { balance = leastconn, timeout.connect = 1s,
                       servers { s = { address = "127.0.0.1:%d", ssl = true, verify = none } } }
                     """.formatted(deadPort, b.address(), silent.getLocalPort()))) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException e) {
                    // closed by the test
                }
            });
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                for (int i = 0; i < 10; i++) {
                    Http.Message response = client.get("/r" + i);
                    assertEquals(200, response.status());
                    assertEquals("b", response.header("x-served-by"));
                }
            }
            assertIdle(proxy, "be");
            TestClient leaving = new TestClient(proxy.port("stuck"));
            leaving.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (servers(proxy, "stuck").get(0).currentStreams() != 1) {
                assertTrue(System.nanoTime() < deadline, "the stream never reached its server");
                Thread.sleep(5);
            }
            leaving.close();
            assertIdle(proxy, "stuck");
            silent.close();
            acceptor.join(5000);
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void randomHonoursWeightsAndItsArgumentIsChecked() throws Exception {
        try (TestUpstream a = TestUpstream.named("a"); TestUpstream b = TestUpstream.named("b");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                     backends.be { balance = "random(2)", servers {
                       a = { address = "%s", weight = 1 }
                       b = { address = "%s", weight = 3 } } }
                     """.formatted(a.address(), b.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i < 400; i++) {
                counts.merge(client.get("/" + i).header("x-served-by"), 1, Integer::sum);
            }
            // Sequential requests leave both idle: each pick is the earlier of two weighted draws.
            assertTrue(counts.get("b") > 240 && counts.get("a") > 40, counts.toString());
        }
        List<String> problems = check("""
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                backends.be {
                  balance = "random(0)"
                  servers { a = "127.0.0.1:1" }
                }
                """);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).matches(".*\\.conf:4: backends\\.be\\.balance: random: the number of draws must be at least 1.*"),
                problems.get(0));
    }

    private static String hashBackend(List<TestUpstream> ups, String keys) {
        return """
                global.threads = 1
                log.target = none
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                backends.be { %s, servers { a = "%s", b = "%s", c = "%s" } }
                """.formatted(keys, ups.get(0).address(), ups.get(1).address(), ups.get(2).address());
    }

    private static String picks(TestClient client, String pathFormat, String headerFormat) throws IOException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            client.send("GET " + pathFormat.formatted(i) + " HTTP/1.1\r\nHost: test\r\n"
                    + (headerFormat == null ? "" : headerFormat.formatted(i) + "\r\n") + "\r\n");
            Http.Message response = client.read();
            assertEquals(200, response.status());
            out.append(response.header("x-served-by"));
        }
        return out.toString();
    }

    @Test
    void hashPicksTheServersHaproxyPicks() throws Exception {
        List<TestUpstream> ups = List.of(TestUpstream.named("a"), TestUpstream.named("b"), TestUpstream.named("c"));
        try (InProcessProxy proxy = InProcessProxy.start(hashBackend(ups, "balance = \"hdr(x-user)\", hash-type = consistent"));
             TestClient client = new TestClient(proxy.port("fe"))) {
            // HAProxy 2.6.12: "balance hdr(x-user)", "hash-type consistent", x-user: user0 .. user29.
            assertEquals("abbcaacabacccbcacbabbccbacccca", picks(client, "/x", "x-user: user%d"));
            // A server leaving moves only its own keys (HAProxy gave the same with b disabled).
            servers(proxy, "be").get(1).setAdmin(ServerAdmin.MAINT);
            assertEquals("acacaacacacccccacaaccccaacccca", picks(client, "/x", "x-user: user%d"));
            servers(proxy, "be").get(1).setAdmin(ServerAdmin.READY);
            assertEquals("abbcaacabacccbcacbabbccbacccca", picks(client, "/x", "x-user: user%d"));
            // Without the header, round the ring instead: every server takes some.
            String keyless = picks(client, "/x", null);
            assertTrue(keyless.contains("a") && keyless.contains("b") && keyless.contains("c"), keyless);
        } finally {
            for (TestUpstream up : ups) {
                up.close();
            }
        }
    }

    @Test
    void urlParamUriAndExpressionKeysAsHaproxy() throws Exception {
        List<TestUpstream> ups = List.of(TestUpstream.named("a"), TestUpstream.named("b"), TestUpstream.named("c"));
        String weighted = "servers { a = { address = \"%s\", weight = 1 }, b = { address = \"%s\", weight = 2 }, c = { address = \"%s\", weight = 3 } }"
                .formatted(ups.get(0).address(), ups.get(1).address(), ups.get(2).address());
        try {
            for (String[] expected : new String[][] {
                    {"balance = \"url_param(id)\"", "/p?a=1&id=v%d&b=2", null, "bcacbcbcaccbcbcacbcbbcbcacbcbc"},
                    {"balance = uri", "/p%1$d/q?x=%1$d", null, "cbcbcbcbcbacacacacaccacacacaca"},
                    {"balance = \"uri whole\"", "/p/q?x=%d", null, "cacbcbcacbacbcbcacbccbcbcacbcb"},
                    {"balance = \"hash req.hdr(x-user),lower\", hash-type = \"consistent wt6\"", "/", "x-user: USER%d",
                            "ccccccccccaaacaccbcbbbccabcccc"}}) {
                try (InProcessProxy proxy = InProcessProxy.start("""
                        global.threads = 1
                        log.target = none
                        frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                        backends.be { %s, %s }
                        """.formatted(expected[0], weighted));
                     TestClient client = new TestClient(proxy.port("fe"))) {
                    assertEquals(expected[3], picks(client, expected[1], expected[2]), expected[0]);
                }
            }
        } finally {
            for (TestUpstream up : ups) {
                up.close();
            }
        }
    }

    @Test
    void boundedLoadSpreadsAHotKeyAsHaproxy() throws Exception {
        try (Holding up = new Holding("a", "b", "c");
             InProcessProxy proxy = InProcessProxy.start("""
                     global.threads = 1
                     log.target = none
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                     backends.be { balance = "hdr(x-user)", hash-type = consistent, hash-balance-factor = 150,
                       servers { a = "%s", b = "%s", c = "%s" } }
                     """.formatted(up.address(0), up.address(1), up.address(2)))) {
            List<TestClient> held = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                held.add(up.sendAndWait(proxy.port("fe"), "/hold", "x-user: user0\r\n"));
            }
            // HAProxy 2.6.12, same configuration, nine requests of one user held open.
            assertEquals("abbababab", served(up.arrivals));
            up.release.countDown();
            closeAll(held);
            assertIdle(proxy, "be");
        }
    }

    @Test
    void sourceKeepsAClientOnOneServer() throws Exception {
        List<TestUpstream> ups = List.of(TestUpstream.named("a"), TestUpstream.named("b"), TestUpstream.named("c"));
        try (InProcessProxy proxy = InProcessProxy.start(hashBackend(ups, "balance = source"))) {
            String first = null;
            for (int i = 0; i < 10; i++) {
                try (TestClient client = new TestClient(proxy.port("fe"))) {
                    String server = client.get("/" + i).header("x-served-by");
                    if (first == null) {
                        first = server;
                    }
                    assertEquals(first, server, "one client address, one server");
                }
            }
        } finally {
            for (TestUpstream up : ups) {
                up.close();
            }
        }
    }

    @Test
    void hashConfigurationErrorsNameFileLineAndKey() throws Exception {
        List<String> problems = check("""
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                backends.be {
                  balance = "hash req.nosuchfetch"
                  hash-type = "consistent md5"
                  servers { a = "127.0.0.1:1" }
                }
                backends.other {
                  balance = "url_param id check_post"
                  servers { a = "127.0.0.1:1" }
                }
                """);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).matches(".*\\.conf:5: backends\\.be\\.hash-type: 'md5' is not a hash function.*"), problems.get(0));
        problems = check("""
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                backends.be {
                  balance = "hash req.nosuchfetch"
                  servers { a = "127.0.0.1:1" }
                }
                backends.other {
                  balance = "url_param id check_post"
                  servers { a = "127.0.0.1:1" }
                }
                """);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).matches(".*\\.conf:4: backends\\.be\\.balance: in expression \"req\\.nosuchfetch\".*"), problems.get(0));
        assertTrue(problems.get(1).matches(".*\\.conf:8: backends\\.other\\.balance: url_param: check_post .*not supported.*"), problems.get(1));
    }

    /** What {@code luagate check} says of {@code hocon} (written after one line of its own) with the distribution's plugins. */
    private static List<String> check(String hocon) {
        java.nio.file.Path file = InProcessProxy.writeConfig("log.target = none\n" + hocon);
        try {
            return Luagate.check(ConfigLoader.load(file, InProcessProxy.distribution()), InProcessProxy.distribution())
                    .list().stream().map(ConfigProblem::toString).toList();
        } catch (io.luagate.kernel.config.InvalidConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
    }
}
