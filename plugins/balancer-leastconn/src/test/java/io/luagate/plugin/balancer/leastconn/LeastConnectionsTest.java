package io.luagate.plugin.balancer.leastconn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;
import io.luagate.testkit.BalancedServer;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeastConnectionsTest {

    /** Picks and holds the stream open, as the kernel counts it: the server's count, then the callback. */
    private static BalancedServer hold(LeastConnections balancer) {
        BalancedServer picked = (BalancedServer) balancer.next(null);
        picked.streams++;
        balancer.streamStarted(picked);
        return picked;
    }

    private static void release(LeastConnections balancer, BalancedServer server) {
        server.streams--;
        balancer.streamEnded(server);
    }

    private static String holdMany(LeastConnections balancer, int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(hold(balancer).name);
        }
        return out.toString();
    }

    @Test
    void heldStreamsGoToTheLeastLoadedRelativeToWeight() {
        BalancedServer a = new BalancedServer("a", 1);
        BalancedServer b = new BalancedServer("b", 2);
        var balancer = new LeastConnections(List.of(a, b));
        // Idle servers first (key 0 whatever the weight), then keys (n+1)*256/w: a=512 b=256,384,512,...
        assertEquals("abbbabba", holdMany(balancer, 8));
        assertEquals(3, a.streams);
        assertEquals(5, b.streams);
    }

    @Test
    void equalServersTakeTurnsWhenStreamsAreShort() {
        BalancedServer a = new BalancedServer("a", 1);
        BalancedServer b = new BalancedServer("b", 1);
        BalancedServer c = new BalancedServer("c", 1);
        var balancer = new LeastConnections(List.of(a, b, c));
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            BalancedServer picked = hold(balancer);
            order.append(picked.name);
            release(balancer, picked);
        }
        assertEquals("abcabca", order.toString());
    }

    @Test
    void aBusyServerIsSkippedUntilItsStreamsEnd() {
        BalancedServer a = new BalancedServer("a", 1);
        BalancedServer b = new BalancedServer("b", 1);
        var balancer = new LeastConnections(List.of(a, b));
        BalancedServer first = hold(balancer);
        assertSame(a, first);
        // a holds one stream: b takes every short one meanwhile.
        for (int i = 0; i < 3; i++) {
            BalancedServer picked = hold(balancer);
            assertSame(b, picked);
            release(balancer, picked);
        }
        release(balancer, first);
        // a's end moved it behind b among the idle: b's last end was earlier.
        assertSame(b, balancer.next(null));
    }

    /** The sequence HAProxy 2.6.12 gave for three equal servers: short requests, one held on b, short ones, b's end. */
    @Test
    void turnsFollowHaproxysAfterAHeldStream() {
        BalancedServer a = new BalancedServer("a", 1);
        BalancedServer b = new BalancedServer("b", 1);
        BalancedServer c = new BalancedServer("c", 1);
        var balancer = new LeastConnections(List.of(a, b, c));
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            BalancedServer picked = hold(balancer);
            order.append(picked.name);
            release(balancer, picked);
        }
        assertEquals("abcabca", order.toString());
        BalancedServer held = hold(balancer);
        assertSame(b, held);
        order.setLength(0);
        for (int i = 0; i < 4; i++) {
            BalancedServer picked = hold(balancer);
            order.append(picked.name);
            release(balancer, picked);
        }
        assertEquals("caca", order.toString());
        release(balancer, held);
        order.setLength(0);
        for (int i = 0; i < 4; i++) {
            BalancedServer picked = hold(balancer);
            order.append(picked.name);
            release(balancer, picked);
        }
        assertEquals("cabc", order.toString());
    }

    @Test
    void streamsOfOtherLoopsCount() {
        BalancedServer a = new BalancedServer("a", 1);
        BalancedServer b = new BalancedServer("b", 1);
        var balancer = new LeastConnections(List.of(a, b));
        // Another loop's streams show only in the kernel's counts, never in this loop's callbacks.
        a.streams = 5;
        b.streams = 2;
        assertSame(b, balancer.next(null));
        b.streams = 6;
        assertSame(a, balancer.next(null));
    }

    @Test
    void serversThatAreNotUpOrOfWeightZeroTakeNothing() {
        BalancedServer a = new BalancedServer("a", 1);
        BalancedServer b = new BalancedServer("b", 1);
        BalancedServer c = new BalancedServer("c", 1);
        BalancedServer d = new BalancedServer("d", 1);
        var balancer = new LeastConnections(List.of(a, b, c, d));
        a.setAdmin(ServerAdmin.DRAIN);
        b.setAdmin(ServerAdmin.MAINT);
        c.setWeight(0);
        d.forceHealth(ServerHealth.DOWN);
        assertNull(balancer.next(null));
        d.forceHealth(ServerHealth.UP);
        assertEquals("dddd", holdMany(balancer, 4));
    }

    @Test
    void backupsServeOnlyWhenNoActiveServerIsUsableAndOnlyTheFirst() {
        BalancedServer a = new BalancedServer("a", 1);
        BalancedServer x = new BalancedServer("x", 1, true);
        BalancedServer y = new BalancedServer("y", 1, true);
        var balancer = new LeastConnections(List.of(a, x, y));
        assertEquals("aaa", holdMany(balancer, 3));
        a.setAdmin(ServerAdmin.MAINT);
        assertEquals("xxx", holdMany(balancer, 3), "the first backup alone, however loaded");
        x.forceHealth(ServerHealth.DOWN);
        assertEquals("yy", holdMany(balancer, 2));
        a.setAdmin(ServerAdmin.READY);
        assertSame(a, balancer.next(null));
    }

    @Test
    void theServerToAvoidIsTakenOnlyWhenItIsTheOnlyOne() {
        BalancedServer a = new BalancedServer("a", 1);
        BalancedServer b = new BalancedServer("b", 1);
        var balancer = new LeastConnections(List.of(a, b));
        b.streams = 10;
        assertSame(b, balancer.next(a));
        b.setAdmin(ServerAdmin.MAINT);
        assertSame(a, balancer.next(a));
    }

    @Test
    void aWeightChangeAppliesAtTheNextPick() {
        BalancedServer a = new BalancedServer("a", 1);
        BalancedServer b = new BalancedServer("b", 1);
        var balancer = new LeastConnections(List.of(a, b));
        a.streams = 3;
        b.streams = 2;
        assertSame(b, balancer.next(null));
        // Keys: a (3+1)*256/4 = 256, b (2+1)*256/1 = 768.
        a.setWeight(4);
        assertSame(a, balancer.next(null));
    }

    @Test
    void theFactoryServesLeastconnWithoutArguments() {
        assertEquals("leastconn", new LeastConnBalancerFactory().algorithm());
        Server only = new BalancedServer("a", 1);
        assertSame(only, new LeastConnections(List.of(only)).next(null));
    }
}
