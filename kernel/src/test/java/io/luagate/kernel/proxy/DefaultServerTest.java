package io.luagate.kernel.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.kernel.metrics.Metrics;
import io.luagate.kernel.metrics.TrafficCounters;
import io.luagate.spi.health.ServerCheckSettings;
import io.luagate.spi.health.ServerCheckState;
import io.luagate.spi.pool.UpstreamKey;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;
import io.luagate.spi.proxy.TrafficStats;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The live state of a server: HAProxy's admin and operational transitions, weight, address, counters. */
class DefaultServerTest {

    private final Metrics metrics = new Metrics();
    private final List<DefaultServer> killed = new ArrayList<>();

    private DefaultServer server(String address, int weight, boolean enabled) {
        String[] hostPort = address.split(":");
        return new DefaultServer("s", new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), weight, enabled, false,
                "be", metrics.server("be", "s" + System.nanoTime()), killed::add);
    }

    @Test
    void startsReadyOrInMaintenanceWhenDisabled() {
        DefaultServer ready = server("127.0.0.1:81", 2, true);
        assertEquals(ServerAdmin.READY, ready.admin());
        assertEquals(ServerHealth.UP, ready.health());
        assertTrue(ready.isUp());
        assertFalse(ready.isDraining());
        DefaultServer disabled = server("127.0.0.1:82", 2, false);
        assertEquals(ServerAdmin.MAINT, disabled.admin());
        assertEquals(ServerHealth.DOWN, disabled.health());
        assertFalse(disabled.isUp());
        // As HAProxy's "set server ... state ready" on a server written "disabled".
        disabled.setAdmin(ServerAdmin.READY);
        assertTrue(disabled.isUp());
    }

    @Test
    void drainStopsNewTrafficWithoutChangingHealth() {
        DefaultServer s = server("127.0.0.1:81", 1, true);
        s.setAdmin(ServerAdmin.DRAIN);
        assertFalse(s.isUp());
        assertTrue(s.isDraining());
        assertEquals(ServerHealth.UP, s.health());
        s.setAdmin(ServerAdmin.READY);
        assertTrue(s.isUp());
        assertFalse(s.isDraining());
    }

    @Test
    void maintenanceStopsTheServerAndLeavingItStartsIt() {
        DefaultServer s = server("127.0.0.1:81", 1, true);
        s.forceHealth(ServerHealth.NOLB);
        s.setAdmin(ServerAdmin.MAINT);
        assertEquals(ServerHealth.DOWN, s.health());
        assertFalse(s.isUp());
        // Forced states are ignored in maintenance, as in HAProxy.
        s.forceHealth(ServerHealth.UP);
        assertEquals(ServerHealth.DOWN, s.health());
        // Maintenance to drain: running again, still taking no new traffic.
        s.setAdmin(ServerAdmin.DRAIN);
        assertEquals(ServerHealth.UP, s.health());
        assertFalse(s.isUp());
        s.setAdmin(ServerAdmin.MAINT);
        s.setAdmin(ServerAdmin.READY);
        assertTrue(s.isUp());
    }

    @Test
    void forcedHealthDecidesUpOutsideMaintenance() {
        DefaultServer s = server("127.0.0.1:81", 1, true);
        s.forceHealth(ServerHealth.DOWN);
        assertFalse(s.isUp());
        assertEquals(ServerAdmin.READY, s.admin());
        s.forceHealth(ServerHealth.NOLB);
        assertFalse(s.isUp());
        s.forceHealth(ServerHealth.UP);
        assertTrue(s.isUp());
    }

    @Test
    void weightChangesWithinHaproxysRange() {
        DefaultServer s = server("127.0.0.1:81", 10, true);
        s.setWeight(0);
        assertEquals(0, s.weight());
        assertTrue(s.isDraining(), "weight 0 is HAProxy's draining");
        s.setWeight(256);
        assertEquals(256, s.weight());
        assertEquals(10, s.initialWeight());
        assertThrows(IllegalArgumentException.class, () -> s.setWeight(257));
        assertThrows(IllegalArgumentException.class, () -> s.setWeight(-1));
        assertEquals(256, s.weight());
    }

    @Test
    void aNewAddressGivesANewDestinationKey() {
        DefaultServer s = server("127.0.0.1:81", 1, true);
        InetSocketAddress client = new InetSocketAddress("10.0.0.9", 8080);
        UpstreamKey before = s.keyFor(client);
        assertSame(before, s.keyFor(client), "a static server's key is made once per address");
        s.setAddress(new InetSocketAddress("127.0.0.2", 82));
        UpstreamKey after = s.keyFor(client);
        assertNotEquals(before, after);
        assertEquals(new InetSocketAddress("127.0.0.2", 82), after.address());
        assertEquals(before.partition(), after.partition());
        // 0.0.0.0 follows each stream's destination; port 0 keeps its port.
        s.setAddress(new InetSocketAddress("0.0.0.0", 0));
        assertEquals(client, s.keyFor(client).address());
        s.setAddress(new InetSocketAddress("0.0.0.0", 9000));
        assertEquals(new InetSocketAddress("10.0.0.9", 9000), s.keyFor(client).address());
        assertThrows(IllegalArgumentException.class, () -> s.setAddress(InetSocketAddress.createUnresolved("example.com", 80)));
    }

    @Test
    void shutdownStreamsAsksTheKernelForThisServer() {
        DefaultServer s = server("127.0.0.1:81", 1, true);
        s.shutdownStreams();
        assertEquals(List.of(s), killed);
    }

    @Test
    void statsAreTheServersCounters() {
        DefaultServer s = server("127.0.0.1:81", 1, true);
        TrafficCounters traffic = s.traffic();
        traffic.sessionStarted();
        traffic.sessionStarted();
        traffic.sessionEnded();
        traffic.http(200);
        traffic.http(503);
        traffic.http(-1);
        traffic.bytes(10, 20);
        traffic.connectFailed();
        traffic.responseFailed();
        traffic.requestFailed();
        TrafficStats stats = s.stats();
        assertEquals(new TrafficStats(1, 2, 10, 20, 0, 1, 1, 3, 0, 1, 0, 0, 1, 1), stats);
    }

    /**
     * Maintenance and a forced state racing from two threads: whatever the order, a server in
     * maintenance is never left running (the transitions are atomic, not last-writer-wins).
     */
    @Test
    void concurrentTransitionsNeverLeaveMaintenanceRunning() throws Exception {
        for (int round = 0; round < 2000; round++) {
            DefaultServer s = server("127.0.0.1:81", 1, true);
            s.forceHealth(ServerHealth.DOWN);
            CyclicBarrier start = new CyclicBarrier(2);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread forcer = new Thread(() -> {
                try {
                    start.await();
                    s.forceHealth(ServerHealth.UP);
                } catch (Exception e) {
                    failure.set(e);
                }
            });
            forcer.start();
            start.await();
            s.setAdmin(ServerAdmin.MAINT);
            forcer.join();
            assertEquals(null, failure.get());
            assertEquals(ServerAdmin.MAINT, s.admin());
            assertEquals(ServerHealth.DOWN, s.health(), "round " + round);
            assertFalse(s.isUp());
        }
    }

    /** A TLS server's settings, as the tls plugin compiles them; only their identity matters to the key. */
    private static ServerTls tls() {
        // A class, not a lambda: a lambda without captures is one shared instance.
        return new ServerTls(new io.luagate.spi.tls.TlsOrigin() {
            @Override
            public io.netty.util.concurrent.Future<io.netty.channel.Channel> handshake(io.netty.channel.Channel channel,
                                                                                     String serverName) {
                return channel.eventLoop().newSucceededFuture(channel);
            }
        }, null);
    }

    @Test
    void theProtocolIsPartOfTheKey() {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 9000);
        InetSocketAddress stream = new InetSocketAddress("127.0.0.1", 80);
        DefaultServer h2 = new DefaultServer("a", address, 1, true, false, "be", metrics.server("be", "a"), killed::add, null, "h2");
        DefaultServer h1 = new DefaultServer("b", address, 1, true, false, "be", metrics.server("be", "b"), killed::add);
        assertEquals("h2", h2.keyFor(stream).protocol());
        assertSame(h2.keyFor(stream), h2.keyFor(stream), "built once");
        // Same address and backend: an HTTP/2 connection never serves a server spoken to in HTTP/1.1.
        assertNotEquals(h1.keyFor(stream), h2.keyFor(stream));
        assertEquals(null, h1.keyFor(stream).protocol());
    }

    @Test
    void theSniAndTheTlsSettingsArePartOfTheKey() {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 443);
        InetSocketAddress stream = new InetSocketAddress("127.0.0.1", 80);
        ServerTls settings = tls();
        DefaultServer a = new DefaultServer("a", address, 1, true, false, "be", metrics.server("be", "a"), killed::add, settings);
        DefaultServer plain = new DefaultServer("p", address, 1, true, false, "be", metrics.server("be", "p"), killed::add);
        DefaultServer other = new DefaultServer("o", address, 1, true, false, "be", metrics.server("be", "o"), killed::add, tls());
        UpstreamKey none = a.keyFor(stream, null);
        assertTrue(none.tls());
        assertEquals(null, none.sni());
        // Built once: choosing a TLS server without SNI allocates no key.
        assertSame(none, a.keyFor(stream));
        assertEquals(a.keyFor(stream, "a.example.com"), a.keyFor(stream, "a.example.com"));
        assertNotEquals(a.keyFor(stream, "a.example.com"), a.keyFor(stream, "b.example.com"));
        assertNotEquals(none, a.keyFor(stream, "a.example.com"));
        // Same address, plain or with other TLS settings: never the same destination.
        assertNotEquals(none, plain.keyFor(stream));
        assertNotEquals(none, other.keyFor(stream));
        assertNotEquals(a.keyFor(stream, "a.example.com"), other.keyFor(stream, "a.example.com"));
        a.setAddress(new InetSocketAddress("127.0.0.2", 443));
        assertEquals(new InetSocketAddress("127.0.0.2", 443), a.keyFor(stream, "a.example.com").address());
        assertTrue(a.keyFor(stream).tls());
    }

    private DefaultServer checked(int rise, int fall) {
        ServerCheckSettings settings = new ServerCheckSettings(true, 2000, 2000, 2000, rise, fall, 0, null,
                io.luagate.spi.health.Observe.NONE, 10, io.luagate.spi.health.OnError.FASTINTER, null, 0, 5000);
        return new DefaultServer("c", new InetSocketAddress("127.0.0.1", 80), 1, true, false, "be",
                metrics.server("be", "c" + System.nanoTime()), killed::add, null, null, settings);
    }

    @Test
    void aCheckedServerStartsUpOneFailureFromDownAndReportsTransitionsOnce() {
        DefaultServer s = checked(2, 3);
        assertEquals("UP 1/3", s.status());
        assertTrue(s.isUp());
        ServerCheckState down = s.checkState().withHealth(0);
        assertEquals(ServerHealth.UP, s.reportCheck(down, ServerHealth.DOWN), "the caller learns the state before");
        assertEquals(null, s.reportCheck(down, ServerHealth.DOWN), "a second report of the same health is no transition");
        assertFalse(s.isUp());
        assertEquals("DOWN", s.status());
        assertEquals(1, s.downTransitions());
        assertEquals(ServerHealth.DOWN, s.reportCheck(down.withHealth(4), ServerHealth.UP));
        assertEquals("UP", s.status());
        assertEquals(1, s.downTransitions());
        assertTrue(s.lastChangeMillis() <= System.currentTimeMillis());
    }

    @Test
    void maintenancePausesChecksAndLeavingItStartsAtRise() {
        DefaultServer s = checked(2, 3);
        s.reportCheck(s.checkState().withHealth(4), ServerHealth.UP);
        s.setAdmin(ServerAdmin.MAINT);
        assertEquals("MAINT", s.status());
        assertEquals(0, s.checkState().health());
        assertEquals(null, s.reportCheck(s.checkState().withHealth(4), ServerHealth.UP), "checks change nothing in maintenance");
        assertEquals("MAINT", s.status());
        s.setAdmin(ServerAdmin.READY);
        assertEquals("UP 1/3", s.status(), "up again, one failure from down");
        assertTrue(s.isUp());
        assertEquals(1, s.downTransitions(), "maintenance counts as going down");
    }

    @Test
    void downtimeAccumulatesWhileDown() throws InterruptedException {
        DefaultServer s = checked(2, 3);
        assertEquals(0, s.downtimeMillis());
        s.reportCheck(s.checkState().withHealth(0), ServerHealth.DOWN);
        Thread.sleep(30);
        s.reportCheck(s.checkState().withHealth(4), ServerHealth.UP);
        long down = s.downtimeMillis();
        assertTrue(down >= 25, "down " + down);
        Thread.sleep(20);
        assertEquals(down, s.downtimeMillis(), "an UP server adds no downtime");
    }
}
