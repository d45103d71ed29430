package io.luagate.plugin.balancer.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;
import io.luagate.testkit.BalancedServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PowerOfChoicesTest {

    private static Map<Server, Integer> counts(PowerOfChoices balancer, int picks) {
        Map<Server, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(balancer.next(null), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void oneDrawIsWeightedRandom() {
        BalancedServer a = new BalancedServer("a", 1);
        BalancedServer b = new BalancedServer("b", 3);
        var balancer = new PowerOfChoices(List.of(a, b), 1, new SplittableRandom(1));
        Map<Server, Integer> counts = counts(balancer, 40_000);
        double shareB = counts.get(b) / 40_000.0;
        assertTrue(shareB > 0.72 && shareB < 0.78, "b weighs 3 of 4: " + shareB);
    }

    @Test
    void twoDrawsAvoidTheLoadedServer() {
        BalancedServer a = new BalancedServer("a", 1);
        BalancedServer b = new BalancedServer("b", 1);
        BalancedServer c = new BalancedServer("c", 1);
        a.streams = 50;
        var balancer = new PowerOfChoices(List.of(a, b, c), 2, new SplittableRandom(2));
        Map<Server, Integer> counts = counts(balancer, 9_000);
        // a wins only when both draws land on it: 1/9 of the picks.
        double shareA = counts.getOrDefault(a, 0) / 9_000.0;
        assertTrue(shareA > 0.08 && shareA < 0.14, "a: " + shareA);
    }

    @Test
    void loadIsComparedRelativeToWeight() {
        BalancedServer a = new BalancedServer("a", 1);
        BalancedServer b = new BalancedServer("b", 4);
        a.streams = 2;
        b.streams = 6;
        // 6/4 < 2/1: b is the less loaded; with many draws both are seen and b always wins.
        var balancer = new PowerOfChoices(List.of(a, b), 50, new SplittableRandom(3));
        for (int i = 0; i < 100; i++) {
            assertSame(b, balancer.next(null));
        }
    }

    /** Each pick is held open as the kernel counts it: the load spreads evenly, as the power of two choices promises. */
    @Test
    void heldStreamsStayBalanced() {
        List<BalancedServer> servers = List.of(new BalancedServer("a", 1), new BalancedServer("b", 1), new BalancedServer("c", 1),
                new BalancedServer("d", 1));
        var balancer = new PowerOfChoices(servers, 2, new SplittableRandom(4));
        for (int i = 0; i < 400; i++) {
            ((BalancedServer) balancer.next(null)).streams++;
        }
        int max = servers.stream().mapToInt(s -> s.streams).max().orElseThrow();
        int min = servers.stream().mapToInt(s -> s.streams).min().orElseThrow();
        assertTrue(max - min <= 6, "spread " + min + ".." + max);
    }

    @Test
    void statesBackupsAndTheServerToAvoid() {
        BalancedServer a = new BalancedServer("a", 1);
        BalancedServer b = new BalancedServer("b", 1);
        BalancedServer x = new BalancedServer("x", 1, true);
        BalancedServer y = new BalancedServer("y", 1, true);
        var balancer = new PowerOfChoices(List.of(a, x, b, y), 2, new SplittableRandom(5));
        for (int i = 0; i < 50; i++) {
            assertSame(b, balancer.next(a), "a draw on the server to avoid draws again");
        }
        b.setAdmin(ServerAdmin.DRAIN);
        assertSame(a, balancer.next(a), "the server to avoid when it is the only one");
        a.setWeight(0);
        assertEquals(Map.of(x, 20), counts(balancer, 20), "the first backup alone");
        x.forceHealth(ServerHealth.DOWN);
        assertSame(y, balancer.next(null));
        y.setAdmin(ServerAdmin.MAINT);
        assertNull(balancer.next(null));
    }
}
