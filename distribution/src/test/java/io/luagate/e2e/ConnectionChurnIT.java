package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.LiveObjects;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import io.luagate.kernel.Luagate;
import io.luagate.kernel.proxy.DefaultBackend;
import io.luagate.spi.pool.UpstreamPool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §3: the same load of idle, half-open and kept-alive client connections, opened and
 * closed round after round, leaves nothing behind. After every round (all connections closed,
 * half of them with a FIN, half with a reset) a full GC must find no session, no stream and no
 * more luagate objects or socket channels than after the first round, and the live heap must
 * not grow from the third round on (the first two warm up and take the reference). The
 * timeouts are a minute long, so a timer left scheduled by a closed connection would keep its
 * objects alive through the measurement instead of expiring before it.
 *
 * <p>The process's RSS, which the issue saw grow, is not what this measures: it also holds heap
 * pages the GC has touched once and native memory freed by the JIT but kept by malloc, which
 * both stop growing after a few rounds (see bench/README.md, "Idle connections and RSS").
 */
class ConnectionChurnIT {

    private static final int IDLE = 500;
    private static final int PARTIAL = 300;
    private static final int KEPT_ALIVE = 100;
    private static final int CONNECTIONS = IDLE + PARTIAL + KEPT_ALIVE;
    private static final int ROUNDS = 6;
    /**
     * The round whose snapshot is kept, to name what grew if something did; the rounds after it
     * all measure a heap that holds it. Round 1 (index 0) also warms up (JIT, class loading,
     * Netty's buffer caches), so the heap is compared from the round after the reference on.
     */
    private static final int REFERENCE_ROUND = 1;
    private static final String SESSION = "io.luagate.kernel.stream.DefaultSession";
    private static final String STREAM = "io.luagate.kernel.stream.DefaultStream";
    /** Live heap growth allowed over the compared rounds, in bytes per connection opened in them. */
    private static final long HEAP_SLACK_PER_CONNECTION = 12;
    /** luagate objects allowed to appear over all rounds (a per-connection leak adds >= 900 a round). */
    private static final long LUAGATE_OBJECT_SLACK = 64;
    private static final byte[] PARTIAL_HEAD = ("GET /partial HTTP/1.1\r\nHost: churn\r\nX-Partial: "
            + "y".repeat(200)).getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void openingAndClosingTheSameLoadLeavesTheLiveHeapAsItWas() throws Exception {
        try (TestUpstream upstream = TestUpstream.named("up");
                InProcessProxy proxy = InProcessProxy.start("""
                        global { threads = 2 }
                        log.target = none
                        frontends.fe {
                          bind = ["127.0.0.1:0"], default-backend = be
                          timeout { client = 60s, http-request = 60s, http-keep-alive = 60s }
                        }
                        backends.be { http-reuse = always, servers { s = "%s" } }
                        """.formatted(upstream.address()))) {
            int port = proxy.port("fe");
            Luagate luagate = proxy.luagate();
            try (TestClient warm = new TestClient(port)) {
                assertEquals(200, warm.get("/warm").status());
            }
            awaitOpen(luagate, 0);
            // Sessions of proxies that earlier tests in this JVM left open are not this test's concern.
            long elsewhere = steady(SESSION);
            long streamsElsewhere = steady(STREAM);

            Round[] rounds = new Round[ROUNDS];
            LiveObjects reference = null;
            for (int round = 0; round < ROUNDS; round++) {
                runLoad(port, luagate, round == 0, elsewhere);
                // The test's upstream records every request it served; only luagate's objects count.
                upstream.connections().forEach(c -> c.requests.clear());
                LiveObjects live = settled(elsewhere);
                String where = "after round " + (round + 1) + " of " + CONNECTIONS + " connections";
                assertEquals(elsewhere, live.count(SESSION), "sessions " + where);
                assertEquals(streamsElsewhere, live.count(STREAM), "streams " + where);
                rounds[round] = new Round(live.bytes(), luagateObjects(live), socketChannels(live), pooled(luagate));
                assertEquals(rounds[0].socketChannels() - rounds[0].pooled() + rounds[round].pooled(),
                        rounds[round].socketChannels(), "socket channels (listeners and pooled upstream connections only) " + where);
                System.out.printf("ConnectionChurnIT: %s: %s%n", where, rounds[round]);
                if (round == REFERENCE_ROUND) {
                    reference = live;
                }
                // Measured rounds must not hold the previous round's snapshot (it is on the heap they measure).
                live = null;
            }

            long objectGrowth = rounds[ROUNDS - 1].luagateObjects() - rounds[0].luagateObjects();
            assertTrue(objectGrowth <= LUAGATE_OBJECT_SLACK, "luagate objects grew by " + objectGrowth + " from round 1 to round "
                    + ROUNDS + "; grown since round " + (REFERENCE_ROUND + 1) + ": " + grownSince(reference));
            long heapGrowth = rounds[ROUNDS - 1].bytes() - rounds[REFERENCE_ROUND + 1].bytes();
            long allowed = HEAP_SLACK_PER_CONNECTION * CONNECTIONS * (ROUNDS - REFERENCE_ROUND - 2);
            assertTrue(heapGrowth <= allowed, "live heap grew by " + heapGrowth + " bytes from round " + (REFERENCE_ROUND + 2)
                    + " to round " + ROUNDS + " (allowed " + allowed + "); grown since round " + (REFERENCE_ROUND + 1) + ": "
                    + grownSince(reference));
        }
    }

    /**
     * What a round left: live heap bytes, luagate objects and Netty socket channels after a full GC,
     * and the idle upstream connections in the pools then.
     */
    private record Round(long bytes, long luagateObjects, long socketChannels, long pooled) {
    }

    /**
     * Opens the load, waits until luagate holds all of it, closes it and waits until luagate has
     * closed every connection. The test's sockets are unreachable once this returns.
     */
    private static void runLoad(int port, Luagate luagate, boolean reportCost, long elsewhere) throws Exception {
        List<Socket> sockets = reportCost ? openLoadAndReportItsCost(port, luagate, elsewhere) : openLoad(port);
        awaitOpen(luagate, CONNECTIONS);
        close(sockets);
        awaitOpen(luagate, 0);
    }

    /**
     * The first round's load, with what it costs while it is held: live bytes per connection and
     * the classes with at least one new instance per connection (printed for the record; the
     * performance issue owns the figure). Also proves the histogram sees luagate's sessions.
     */
    private static List<Socket> openLoadAndReportItsCost(int port, Luagate luagate, long elsewhere) throws Exception {
        LiveObjects before = LiveObjects.now();
        List<Socket> sockets = openLoad(port);
        awaitOpen(luagate, CONNECTIONS);
        Thread.sleep(200); // the partial heads reach their decoders
        LiveObjects held = LiveObjects.now();
        assertEquals(elsewhere + CONNECTIONS, held.count(SESSION), "while the load is held, every connection has its session");
        System.out.printf("ConnectionChurnIT: %d connections held (%d idle, %d partial heads, %d kept alive): "
                        + "%d live bytes each; instances per connection: %s%n", CONNECTIONS, IDLE, PARTIAL, KEPT_ALIVE,
                (held.bytes() - before.bytes()) / CONNECTIONS, held.grownSince(before, CONNECTIONS));
        return sockets;
    }

    /** Idle connections (nothing sent), partial heads, and connections idle after one proxied response. */
    private static List<Socket> openLoad(int port) throws IOException {
        List<Socket> sockets = new ArrayList<>(CONNECTIONS);
        for (int i = 0; i < IDLE; i++) {
            sockets.add(connect(port));
        }
        for (int i = 0; i < PARTIAL; i++) {
            Socket socket = connect(port);
            socket.getOutputStream().write(PARTIAL_HEAD);
            sockets.add(socket);
        }
        for (int i = 0; i < KEPT_ALIVE; i++) {
            Socket socket = connect(port);
            socket.getOutputStream().write("GET /kept HTTP/1.1\r\nHost: churn\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            Http.Message response = Http.read(socket.getInputStream(), false, true);
            assertEquals(200, response.status());
            sockets.add(socket);
        }
        return sockets;
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Every other connection ends with a reset instead of a FIN. */
    private static void close(List<Socket> sockets) throws IOException {
        for (int i = 0; i < sockets.size(); i++) {
            Socket socket = sockets.get(i);
            if (i % 2 == 1) {
                socket.setSoLinger(true, 0);
            }
            socket.close();
        }
    }

    private static void awaitOpen(Luagate luagate, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (luagate.openConnections() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("luagate holds " + luagate.openConnections() + " client connections, expected "
                        + expected);
            }
            Thread.sleep(10);
        }
    }

    /**
     * The live objects once the loops have finished closing: a channel is deregistered from its
     * loop in a task that runs after its close future completed, so the last sessions of a round
     * may be reachable for a moment after luagate counted them closed.
     */
    private static LiveObjects settled(long elsewhere) throws InterruptedException {
        for (int i = 0; i < 20 && reachable(SESSION) > elsewhere; i++) {
            Thread.sleep(100);
        }
        return LiveObjects.now();
    }

    /** Live instances of {@code className} once two counts 100 ms apart agree (the warm-up's session is gone). */
    private static long steady(String className) throws InterruptedException {
        long count = reachable(className);
        for (int i = 0; i < 20; i++) {
            Thread.sleep(100);
            long again = reachable(className);
            if (again == count) {
                break;
            }
            count = again;
        }
        return count;
    }

    /** Its own method, so that the snapshot it takes is garbage before the next one is taken. */
    private static long reachable(String className) {
        return LiveObjects.now().count(className);
    }

    private static long luagateObjects(LiveObjects live) {
        return live.instances().entrySet().stream()
                .filter(e -> e.getKey().startsWith("io.luagate.") && !e.getKey().startsWith("io.luagate.e2e."))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /** Netty socket channels of any transport (epoll, nio, io_uring): client, upstream and listening. */
    private static long socketChannels(LiveObjects live) {
        return live.instances().entrySet().stream()
                .filter(e -> e.getKey().startsWith("io.netty.channel.") && e.getKey().endsWith("SocketChannel"))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /**
     * Idle upstream connections in the pools; read from the test thread once the load is over,
     * when the loops have nothing left to change.
     */
    private static long pooled(Luagate luagate) {
        long idle = 0;
        for (DefaultBackend backend : luagate.proxies().backends().values()) {
            for (int i = 0; i < luagate.settings().global().threads(); i++) {
                UpstreamPool pool = backend.pool(i);
                idle += pool == null ? 0 : pool.idleCount();
            }
        }
        return idle;
    }

    /** What grew since {@code reference}: instances by class, then bytes by class. */
    private static String grownSince(LiveObjects reference) {
        if (reference == null) {
            return "?";
        }
        LiveObjects now = LiveObjects.now();
        return "instances " + now.grownSince(reference, 8) + ", bytes " + now.bytesGrownSince(reference, 1024);
    }
}
