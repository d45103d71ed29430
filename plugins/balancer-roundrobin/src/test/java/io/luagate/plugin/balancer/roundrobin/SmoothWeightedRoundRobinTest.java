package io.luagate.plugin.balancer.roundrobin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;
import io.luagate.spi.proxy.TrafficStats;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmoothWeightedRoundRobinTest {

    /** A server with the SPI's run-time state: weight, admin and health change as the kernel's do. */
    static final class TestServer implements Server {
        final String name;
        final int initialWeight;
        volatile int weight;
        volatile boolean up = true;
        volatile ServerAdmin admin = ServerAdmin.READY;
        final boolean backup;

        TestServer(String name, int weight) {
            this(name, weight, false);
        }

        TestServer(String name, int weight, boolean backup) {
            this.name = name;
            this.initialWeight = weight;
            this.weight = weight;
            this.backup = backup;
        }

        @Override
        public boolean isBackup() {
            return backup;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        public int weight() {
            return weight;
        }

        @Override
        public int initialWeight() {
            return initialWeight;
        }

        @Override
        public boolean isUp() {
            return up && admin == ServerAdmin.READY;
        }

        @Override
        public ServerAdmin admin() {
            return admin;
        }

        @Override
        public ServerHealth health() {
            return up ? ServerHealth.UP : ServerHealth.DOWN;
        }

        @Override
        public void setWeight(int weight) {
            this.weight = weight;
        }

        @Override
        public void setAddress(InetSocketAddress address) {
            throw new UnsupportedOperationException("the balancer never moves a server");
        }

        @Override
        public void setAdmin(ServerAdmin admin) {
            this.admin = admin;
        }

        @Override
        public void forceHealth(ServerHealth health) {
            this.up = health == ServerHealth.UP;
        }

        @Override
        public void shutdownStreams() {
            throw new UnsupportedOperationException("the balancer never kills streams");
        }

        @Override
        public TrafficStats stats() {
            throw new UnsupportedOperationException("the balancer reads no counters");
        }
    }

    private static String sequence(SmoothWeightedRoundRobin balancer, int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(balancer.next(null).name());
        }
        return out.toString();
    }

    @Test
    void equalWeightsAlternate() {
        var balancer = new SmoothWeightedRoundRobin(List.of(new TestServer("a", 1), new TestServer("b", 1), new TestServer("c", 1)), 0);
        assertEquals("abcabcabc", sequence(balancer, 9));
    }

    @Test
    void weightsAreSpreadSmoothly() {
        var balancer = new SmoothWeightedRoundRobin(List.of(new TestServer("a", 5), new TestServer("b", 1), new TestServer("c", 1)), 0);
        assertEquals("aabacaa" + "aabacaa", sequence(balancer, 14));
    }

    @Test
    void eachWindowGivesExactShares() {
        var balancer = new SmoothWeightedRoundRobin(List.of(new TestServer("a", 1), new TestServer("b", 2), new TestServer("c", 3)), 0);
        for (int window = 0; window < 5; window++) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (int i = 0; i < 6; i++) {
                counts.merge(balancer.next(null).name(), 1, Integer::sum);
            }
            assertEquals(Map.of("a", 1, "b", 2, "c", 3), counts);
        }
    }

    @Test
    void instancesStartAtDifferentPoints() {
        var factory = new RoundRobinBalancerFactory();
        List<TestServer> servers = List.of(new TestServer("a", 1), new TestServer("b", 1));
        assertEquals("a", factory.create(context(servers)).next(null).name());
        assertEquals("b", factory.create(context(servers)).next(null).name());
    }

    /** What the kernel gives the factory for a backend written {@code balance = roundrobin}. */
    private static io.luagate.spi.balancer.BalancerContext context(List<TestServer> servers) {
        return new io.luagate.spi.balancer.BalancerContext() {
            @Override
            public String backend() {
                return "app";
            }

            @Override
            public String algorithm() {
                return "roundrobin";
            }

            @Override
            public List<String> arguments() {
                return List.of();
            }

            @Override
            public io.luagate.spi.balancer.HashType hashType() {
                return io.luagate.spi.balancer.HashType.DEFAULT;
            }

            @Override
            public int hashBalanceFactor() {
                return 0;
            }

            @Override
            public List<? extends Server> servers() {
                return servers;
            }

            @Override
            public io.luagate.spi.config.ConfigSection options() {
                throw new UnsupportedOperationException("roundrobin reads no key of its own");
            }

            @Override
            public boolean useKey(String expression) {
                throw new UnsupportedOperationException("roundrobin hashes nothing");
            }

            @Override
            public void problem(String message) {
                throw new AssertionError(message);
            }
        };
    }

    @Test
    void skipsServersThatAreDownOrWeightZero() {
        TestServer a = new TestServer("a", 1);
        TestServer b = new TestServer("b", 1);
        TestServer z = new TestServer("z", 0);
        var balancer = new SmoothWeightedRoundRobin(List.of(a, b, z), 0);
        b.up = false;
        assertEquals("aaaa", sequence(balancer, 4));
        b.up = true;
        String back = sequence(balancer, 4);
        assertEquals(2, back.chars().filter(c -> c == 'b').count(), back);
        assertEquals(2, back.chars().filter(c -> c == 'a').count(), back);
        a.up = false;
        b.up = false;
        assertNull(balancer.next(null));
    }

    @Test
    void backupsServeOnlyWhenNoActiveServerIsUsableAndThenOnlyTheFirst() {
        TestServer a = new TestServer("a", 1);
        TestServer x = new TestServer("x", 1, true);
        TestServer b = new TestServer("b", 1);
        TestServer y = new TestServer("y", 1, true);
        // Every starting point: the tier never depends on where a loop's rotation stands.
        for (int offset = 0; offset < 4; offset++) {
            a.admin = ServerAdmin.READY;
            b.admin = ServerAdmin.READY;
            x.admin = ServerAdmin.READY;
            var balancer = new SmoothWeightedRoundRobin(List.of(a, x, b, y), offset);
            assertEquals(Map.of("a", 3, "b", 3), counts(balancer, 6));
            a.admin = ServerAdmin.MAINT;
            assertEquals("bbbb", sequence(balancer, 4), "the remaining active server, never a backup");
            b.setWeight(0);
            assertEquals("xxxx", sequence(balancer, 4), "weight 0 is not usable: the first backup, alone");
            b.setWeight(1);
            b.admin = ServerAdmin.DRAIN;
            assertEquals("xxxx", sequence(balancer, 4));
            x.admin = ServerAdmin.MAINT;
            assertEquals("yyyy", sequence(balancer, 4), "the next usable backup in the order written");
            b.admin = ServerAdmin.READY;
            assertEquals("bbbb", sequence(balancer, 4), "an active server back takes the traffic back at once");
            b.admin = ServerAdmin.MAINT;
            y.up = false;
            assertNull(balancer.next(null));
            y.up = true;
        }
    }

    @Test
    void aFailedActiveServerIsNotReplacedByABackupWhileItIsUp() {
        TestServer a = new TestServer("a", 1);
        TestServer x = new TestServer("x", 1, true);
        var balancer = new SmoothWeightedRoundRobin(List.of(a, x), 0);
        assertSame(a, balancer.next(a));
    }

    @Test
    void avoidsTheFailedServerUnlessItIsTheOnlyOne() {
        TestServer a = new TestServer("a", 1);
        TestServer b = new TestServer("b", 1);
        var balancer = new SmoothWeightedRoundRobin(List.of(a, b), 0);
        for (int i = 0; i < 10; i++) {
            assertSame(b, balancer.next(a));
        }
        b.up = false;
        assertSame(a, balancer.next(a));
    }

    private static Map<String, Integer> counts(SmoothWeightedRoundRobin balancer, int picks) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < picks; i++) {
            Server picked = balancer.next(null);
            counts.merge(picked == null ? "none" : picked.name(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void aWeightChangeAppliesFromTheNextPick() {
        TestServer a = new TestServer("a", 1);
        TestServer b = new TestServer("b", 1);
        var balancer = new SmoothWeightedRoundRobin(List.of(a, b), 0);
        // Earn scores under the old weights, stopping mid-window.
        assertEquals("aba", sequence(balancer, 3));
        a.setWeight(3);
        for (int window = 0; window < 4; window++) {
            assertEquals(Map.of("a", 3, "b", 1), counts(balancer, 4), "window " + window);
        }
        b.setWeight(5);
        a.setWeight(2);
        for (int window = 0; window < 3; window++) {
            assertEquals(Map.of("a", 2, "b", 5), counts(balancer, 7), "window " + window);
        }
        a.setWeight(0);
        assertEquals("bbbbb", sequence(balancer, 5));
        a.setWeight(1);
        b.setWeight(1);
        assertEquals(Map.of("a", 2, "b", 2), counts(balancer, 4));
    }

    /** Scores earned under old weights are not paid off after a change: a lowered server does not run on. */
    @Test
    void aWeightChangeDoesNotPayOffOldScores() {
        TestServer a = new TestServer("a", 1);
        TestServer b = new TestServer("b", 9);
        var balancer = new SmoothWeightedRoundRobin(List.of(a, b), 0);
        // a has waited four picks and holds a large score; b has paid for its wins.
        assertEquals("bbbb", sequence(balancer, 4));
        b.setWeight(1);
        assertEquals(Map.of("a", 1, "b", 1), counts(balancer, 2));
        assertEquals(Map.of("a", 1, "b", 1), counts(balancer, 2));
    }

    @Test
    void aDrainingServerGetsNoNewPicksUntilReady() {
        TestServer a = new TestServer("a", 1);
        TestServer b = new TestServer("b", 2);
        var balancer = new SmoothWeightedRoundRobin(List.of(a, b), 0);
        b.setAdmin(ServerAdmin.DRAIN);
        assertEquals("aaaaaa", sequence(balancer, 6));
        b.setAdmin(ServerAdmin.READY);
        assertEquals(Map.of("a", 1, "b", 2), counts(balancer, 3));
        // A drained server is never the fallback of a failed attempt: it takes no new traffic at all.
        a.setAdmin(ServerAdmin.DRAIN);
        b.setAdmin(ServerAdmin.DRAIN);
        assertNull(balancer.next(a));
    }

    @Test
    void maintenanceAndForcedStatesAreLikeDown() {
        TestServer a = new TestServer("a", 1);
        TestServer b = new TestServer("b", 1);
        TestServer c = new TestServer("c", 1);
        var balancer = new SmoothWeightedRoundRobin(List.of(a, b, c), 0);
        b.setAdmin(ServerAdmin.MAINT);
        c.forceHealth(ServerHealth.NOLB);
        assertEquals("aaaa", sequence(balancer, 4));
        a.setAdmin(ServerAdmin.MAINT);
        assertNull(balancer.next(null));
        b.setAdmin(ServerAdmin.READY);
        c.forceHealth(ServerHealth.UP);
        assertEquals(Map.of("b", 2, "c", 2), counts(balancer, 4));
    }
}
