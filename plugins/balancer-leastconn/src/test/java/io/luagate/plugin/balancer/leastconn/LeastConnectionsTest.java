package io.luagate.plugin.balancer.leastconn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeastConnectionsTest {

    /** Picks and holds the stream open, as the kernel counts it: the server's count, then the callback. */
    private static LoadedServer hold(LeastConnections balancer) {
        LoadedServer picked = (LoadedServer) balancer.next(null);
        picked.streams++;
        balancer.streamStarted(picked);
        return picked;
    }

    private static void release(LeastConnections balancer, LoadedServer server) {
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
        LoadedServer a = new LoadedServer("a", 1);
        LoadedServer b = new LoadedServer("b", 2);
        var balancer = new LeastConnections(List.of(a, b));
        // Idle servers first (key 0 whatever the weight), then keys (n+1)*256/w: a=512 b=256,384,512,...
        assertEquals("abbbabba", holdMany(balancer, 8));
        assertEquals(3, a.streams);
        assertEquals(5, b.streams);
    }

    @Test
    void equalServersTakeTurnsWhenStreamsAreShort() {
        LoadedServer a = new LoadedServer("a", 1);
        LoadedServer b = new LoadedServer("b", 1);
        LoadedServer c = new LoadedServer("c", 1);
        var balancer = new LeastConnections(List.of(a, b, c));
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            LoadedServer picked = hold(balancer);
            order.append(picked.name);
            release(balancer, picked);
        }
        assertEquals("abcabca", order.toString());
    }

    @Test
    void aBusyServerIsSkippedUntilItsStreamsEnd() {
        LoadedServer a = new LoadedServer("a", 1);
        LoadedServer b = new LoadedServer("b", 1);
        var balancer = new LeastConnections(List.of(a, b));
        LoadedServer first = hold(balancer);
        assertSame(a, first);
        // a holds one stream: b takes every short one meanwhile.
        for (int i = 0; i < 3; i++) {
            LoadedServer picked = hold(balancer);
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
        LoadedServer a = new LoadedServer("a", 1);
        LoadedServer b = new LoadedServer("b", 1);
        LoadedServer c = new LoadedServer("c", 1);
        var balancer = new LeastConnections(List.of(a, b, c));
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            LoadedServer picked = hold(balancer);
            order.append(picked.name);
            release(balancer, picked);
        }
        assertEquals("abcabca", order.toString());
        LoadedServer held = hold(balancer);
        assertSame(b, held);
        order.setLength(0);
        for (int i = 0; i < 4; i++) {
            LoadedServer picked = hold(balancer);
            order.append(picked.name);
            release(balancer, picked);
        }
        assertEquals("caca", order.toString());
        release(balancer, held);
        order.setLength(0);
        for (int i = 0; i < 4; i++) {
            LoadedServer picked = hold(balancer);
            order.append(picked.name);
            release(balancer, picked);
        }
        assertEquals("cabc", order.toString());
    }

    @Test
    void streamsOfOtherLoopsCount() {
        LoadedServer a = new LoadedServer("a", 1);
        LoadedServer b = new LoadedServer("b", 1);
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
        LoadedServer a = new LoadedServer("a", 1);
        LoadedServer b = new LoadedServer("b", 1);
        LoadedServer c = new LoadedServer("c", 1);
        LoadedServer d = new LoadedServer("d", 1);
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
        LoadedServer a = new LoadedServer("a", 1);
        LoadedServer x = new LoadedServer("x", 1, true);
        LoadedServer y = new LoadedServer("y", 1, true);
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
        LoadedServer a = new LoadedServer("a", 1);
        LoadedServer b = new LoadedServer("b", 1);
        var balancer = new LeastConnections(List.of(a, b));
        b.streams = 10;
        assertSame(b, balancer.next(a));
        b.setAdmin(ServerAdmin.MAINT);
        assertSame(a, balancer.next(a));
    }

    @Test
    void aWeightChangeAppliesAtTheNextPick() {
        LoadedServer a = new LoadedServer("a", 1);
        LoadedServer b = new LoadedServer("b", 1);
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
        Server only = new LoadedServer("a", 1);
        assertSame(only, new LeastConnections(List.of(only)).next(null));
    }
}
