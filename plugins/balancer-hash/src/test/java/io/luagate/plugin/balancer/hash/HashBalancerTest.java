package io.luagate.plugin.balancer.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.balancer.HashFunction;
import io.luagate.spi.balancer.HashMethod;
import io.luagate.spi.balancer.HashType;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;
import io.luagate.testkit.BalancedServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HashBalancerTest {

    private static final HashType CONSISTENT = new HashType(HashMethod.CONSISTENT, HashFunction.SDBM, true);
    private static final HashType MAP = HashType.DEFAULT;
    private static final int KEYS = 20_000;

    private static byte[] key(int i) {
        return ("session-" + i).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<BalancedServer> servers(int n) {
        List<BalancedServer> servers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            servers.add(new BalancedServer("s" + i, 1));
        }
        return servers;
    }

    private static HashBalancer balancer(List<BalancedServer> servers, HashType type, int factor) {
        return new HashBalancer(servers, KeyHasher.expression(type), type.method(), factor);
    }

    private static Server[] assignment(HashBalancer balancer) {
        Server[] picked = new Server[KEYS];
        for (int i = 0; i < KEYS; i++) {
            picked[i] = balancer.next(null, key(i));
        }
        return picked;
    }

    @Test
    void aKeyStaysOnItsServer() {
        for (HashType type : List.of(CONSISTENT, MAP)) {
            var balancer = balancer(servers(5), type, 0);
            Server first = balancer.next(null, key(42));
            for (int i = 0; i < 100; i++) {
                assertSame(first, balancer.next(null, key(42)));
            }
        }
    }

    @Test
    void removingAServerWithConsistentHashingMovesOnlyItsKeys() {
        List<BalancedServer> servers = servers(10);
        var balancer = balancer(servers, CONSISTENT, 0);
        Server[] before = assignment(balancer);
        BalancedServer gone = servers.get(3);
        gone.admin = ServerAdmin.MAINT;
        Server[] after = assignment(balancer);
        int moved = 0;
        int owned = 0;
        for (int i = 0; i < KEYS; i++) {
            if (before[i] == gone) {
                owned++;
                assertNotSame(gone, after[i]);
            }
            if (before[i] != after[i]) {
                moved++;
                assertSame(gone, before[i], "only the removed server's keys move");
            }
        }
        assertEquals(owned, moved);
        double share = moved / (double) KEYS;
        assertTrue(share > 0.06 && share < 0.14, "about 1/10 of the keys moved: " + share);
        // Back again: every key returns to where it was.
        gone.admin = ServerAdmin.READY;
        Server[] again = assignment(balancer);
        for (int i = 0; i < KEYS; i++) {
            assertSame(before[i], again[i]);
        }
    }

    @Test
    void addingAServerWithConsistentHashingTakesAboutOneInNPlusOne() {
        List<BalancedServer> ten = servers(10);
        Server[] before = assignment(balancer(ten, CONSISTENT, 0));
        List<BalancedServer> eleven = new ArrayList<>(ten);
        BalancedServer added = new BalancedServer("s10", 1);
        eleven.add(added);
        Server[] after = assignment(balancer(eleven, CONSISTENT, 0));
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            if (before[i] != after[i]) {
                moved++;
                assertSame(added, after[i], "a key moves only to the new server");
            }
        }
        double share = moved / (double) KEYS;
        assertTrue(share > 0.05 && share < 0.14, "about 1/11 of the keys moved: " + share);
    }

    @Test
    void removingAServerWithMapBasedHashingMovesMostKeys() {
        List<BalancedServer> servers = servers(10);
        var balancer = balancer(servers, MAP, 0);
        Server[] before = assignment(balancer);
        servers.get(3).admin = ServerAdmin.MAINT;
        Server[] after = assignment(balancer);
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            if (before[i] != after[i]) {
                moved++;
            }
        }
        assertTrue(moved > KEYS / 2, "the map is laid out anew: " + moved);
    }

    @Test
    void weightsSetTheShares() {
        for (HashType type : List.of(CONSISTENT, MAP)) {
            BalancedServer a = new BalancedServer("a", 1);
            BalancedServer b = new BalancedServer("b", 3);
            var balancer = balancer(List.of(a, b), type, 0);
            Map<Server, Integer> counts = new HashMap<>();
            for (Server s : assignment(balancer)) {
                counts.merge(s, 1, Integer::sum);
            }
            double shareB = counts.get(b) / (double) KEYS;
            assertTrue(shareB > 0.65 && shareB < 0.85, type + ": b has weight 3 of 4: " + shareB);
        }
    }

    @Test
    void aWeightChangeRebuildsAtTheNextPick() {
        BalancedServer a = new BalancedServer("a", 1);
        BalancedServer b = new BalancedServer("b", 1);
        var balancer = balancer(List.of(a, b), MAP, 0);
        assignment(balancer);
        a.setWeight(0);
        for (Server s : assignment(balancer)) {
            assertSame(b, s);
        }
    }

    @Test
    void backupsServeWhenNoActiveServerIsUsableAndOnlyTheFirst() {
        for (HashType type : List.of(CONSISTENT, MAP)) {
            BalancedServer a = new BalancedServer("a", 1);
            BalancedServer b = new BalancedServer("b", 1);
            BalancedServer x = new BalancedServer("x", 1, true);
            BalancedServer y = new BalancedServer("y", 1, true);
            var balancer = balancer(List.of(a, x, b, y), type, 0);
            for (int i = 0; i < 200; i++) {
                Server picked = balancer.next(null, key(i));
                assertTrue(picked == a || picked == b, type + ": no backup while an active server is up");
            }
            a.admin = ServerAdmin.MAINT;
            b.forceHealth(ServerHealth.DOWN);
            for (int i = 0; i < 50; i++) {
                assertSame(x, balancer.next(null, key(i)));
            }
            x.admin = ServerAdmin.DRAIN;
            assertSame(y, balancer.next(null, key(1)));
            y.admin = ServerAdmin.MAINT;
            assertNull(balancer.next(null, key(1)));
            b.forceHealth(ServerHealth.UP);
            assertSame(b, balancer.next(null, key(1)), "one usable server: nothing to hash");
        }
    }

    @Test
    void streamsWithoutAKeyGoRoundTheServers() {
        for (HashType type : List.of(CONSISTENT, MAP)) {
            List<BalancedServer> servers = servers(3);
            var balancer = balancer(servers, type, 0);
            Map<Server, Integer> counts = new HashMap<>();
            for (int i = 0; i < 3000; i++) {
                counts.merge(balancer.next(null, null), 1, Integer::sum);
            }
            assertEquals(3, counts.size(), type + ": every server takes keyless streams");
            for (int count : counts.values()) {
                assertTrue(count > 600, type + " " + counts);
            }
        }
    }

    @Test
    void aRetryAvoidsTheFailedServerWithConsistentHashingOnly() {
        List<BalancedServer> servers = servers(3);
        var ring = balancer(servers, CONSISTENT, 0);
        var map = balancer(servers, MAP, 0);
        for (int i = 0; i < 100; i++) {
            Server first = ring.next(null, key(i));
            assertNotSame(first, ring.next(first, key(i)), "the ring passes the key on to the next server");
            Server mapped = map.next(null, key(i));
            assertSame(mapped, map.next(mapped, key(i)), "HAProxy's map hashes the retry to the same server");
        }
        Server keyless = ring.next(null, null);
        assertNotSame(keyless, ring.next(keyless, null));
    }

    /** With a bound, no server serves more than factor% of the average (rounded up) however hot one key is. */
    @Test
    void boundedLoadCapsEveryServer() {
        List<BalancedServer> servers = servers(4);
        var balancer = balancer(servers, CONSISTENT, 125);
        for (int i = 0; i < 400; i++) {
            // A hot key for most streams, as a popular user would send.
            BalancedServer picked = (BalancedServer) balancer.next(null, key(i % 10 == 0 ? i : 7));
            picked.streams++;
            int total = i + 1;
            for (BalancedServer s : servers) {
                assertTrue(s.streams <= Math.ceil(total * 1.25 / 4) + 1, "server " + s.name + " at " + s.streams + " of " + total);
            }
        }
        // Without a bound, the hot key's server takes 9 in 10 of them.
        List<BalancedServer> unbounded = servers(4);
        var plain = balancer(unbounded, CONSISTENT, 0);
        for (int i = 0; i < 400; i++) {
            ((BalancedServer) plain.next(null, key(i % 10 == 0 ? i : 7))).streams++;
        }
        assertTrue(unbounded.stream().anyMatch(s -> s.streams >= 360));
    }
}
