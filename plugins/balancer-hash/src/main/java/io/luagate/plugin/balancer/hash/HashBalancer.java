package io.luagate.plugin.balancer.hash;

import io.luagate.spi.balancer.Balancer;
import io.luagate.spi.balancer.HashMethod;
import io.luagate.spi.proxy.Server;
import java.util.List;

/**
 * One backend's hashing balancer on one event loop. At each pick it reads every server's weight
 * and state; when they changed since the last pick it rebuilds its ring or map (on this loop, with
 * no lock), so a server going down moves its keys at once and coming back takes them back.
 *
 * <p>As in HAProxy: while an active server is usable, only active servers are hashed over; else
 * the first usable backup takes everything. With one usable server there is nothing to hash. A
 * stream without a key goes round the ring or the map instead (HAProxy's fallback). With
 * {@code map-based}, a stream retried after a failed connect hashes to the same server again, as
 * in HAProxy; with {@code consistent} it moves on along the ring.
 */
final class HashBalancer implements Balancer {

    /** HAProxy's {@code BE_WEIGHT_SCALE}: consistent hashing's effective weight per unit of weight. */
    private static final int WEIGHT_SCALE = 16;

    private final Server[] servers;
    private final boolean[] backup;
    private final KeyHasher hasher;
    private final boolean consistent;
    private final int balanceFactor;
    /** map-based: the GCD of the configured weights, which HAProxy divides weights by. */
    private final int divisor;
    /** The weights and states the structures were built for (weight -1: not usable). */
    private final int[] builtFor;
    private HashRing ring;
    private ServerMap map;
    /** When fewer than two active servers are usable: the one to use (null: none). */
    private Server only;
    private boolean single;

    HashBalancer(List<? extends Server> servers, KeyHasher hasher, HashMethod method, int balanceFactor) {
        this.servers = servers.toArray(Server[]::new);
        this.backup = new boolean[this.servers.length];
        this.builtFor = new int[this.servers.length];
        int gcd = 0;
        for (int i = 0; i < this.servers.length; i++) {
            backup[i] = this.servers[i].isBackup();
            builtFor[i] = Integer.MIN_VALUE;
            gcd = gcd(gcd, this.servers[i].initialWeight());
        }
        this.divisor = gcd == 0 ? 1 : gcd;
        this.hasher = hasher;
        this.consistent = method == HashMethod.CONSISTENT;
        this.balanceFactor = consistent ? balanceFactor : 0;
    }

    @Override
    public Server next(Server avoid) {
        return next(avoid, null);
    }

    @Override
    public Server next(Server avoid, byte[] key) {
        refresh();
        if (single) {
            return only;
        }
        long hash = hasher.hash(key);
        if (consistent) {
            return hash == KeyHasher.NONE ? ring.next(avoid) : ring.lookup(hash, avoid, balanceFactor);
        }
        return hash == KeyHasher.NONE ? map.next(avoid) : map.lookup(hash);
    }

    /** Rebuilds the ring or the map when a weight or a state changed. */
    private void refresh() {
        boolean changed = false;
        for (int i = 0; i < servers.length; i++) {
            int now = usableWeight(servers[i]);
            if (now != builtFor[i]) {
                builtFor[i] = now;
                changed = true;
            }
        }
        if (changed) {
            rebuild();
        }
    }

    private static int usableWeight(Server server) {
        int weight = server.weight();
        return weight > 0 && server.isUp() ? weight : -1;
    }

    private void rebuild() {
        int active = 0;
        int lastActive = -1;
        for (int i = 0; i < servers.length; i++) {
            if (!backup[i] && builtFor[i] > 0) {
                active++;
                lastActive = i;
            }
        }
        single = active < 2;
        if (active == 0) {
            only = firstUsableBackup();
            return;
        }
        if (active == 1) {
            only = servers[lastActive];
            return;
        }
        only = null;
        int[] weights = new int[servers.length];
        int[] maxPoints = new int[servers.length];
        for (int i = 0; i < servers.length; i++) {
            int weight = backup[i] || builtFor[i] <= 0 ? 0 : builtFor[i];
            // HAProxy's effective weights: times 16 on the ring, divided by the GCD (rounded up) in the map.
            weights[i] = consistent ? weight * WEIGHT_SCALE : (weight + divisor - 1) / divisor;
            maxPoints[i] = servers[i].initialWeight() * WEIGHT_SCALE;
        }
        if (consistent) {
            ring = new HashRing(servers, weights, maxPoints);
        } else {
            map = new ServerMap(servers, weights);
        }
    }

    private Server firstUsableBackup() {
        for (int i = 0; i < servers.length; i++) {
            if (backup[i] && builtFor[i] > 0) {
                return servers[i];
            }
        }
        return null;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
