package io.luagate.plugin.balancer.roundrobin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.luagate.spi.proxy.Server;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmoothWeightedRoundRobinTest {

    static final class TestServer implements Server {
        final String name;
        final int weight;
        boolean up = true;

        TestServer(String name, int weight) {
            this.name = name;
            this.weight = weight;
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
        public boolean isUp() {
            return up;
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
        assertEquals("a", factory.create(servers).next(null).name());
        assertEquals("b", factory.create(servers).next(null).name());
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
}
