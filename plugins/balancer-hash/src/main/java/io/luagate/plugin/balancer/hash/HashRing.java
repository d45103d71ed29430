package io.luagate.plugin.balancer.hash;

import io.luagate.spi.proxy.Server;
import java.util.Arrays;

/**
 * HAProxy 2.6's consistent-hash ring ({@code lb_chash.c}), built for one set of usable servers:
 * server number {@code id} (its position in the backend, from 1) of effective weight {@code w}
 * (its weight times 16) has {@code w} points, point {@code n} at {@code full_hash(id * 4096 + n)}.
 * A hash goes to the nearer of the points just before and just after it; a server to avoid, or one
 * above its bounded load, passes the hash on to the next point. Adding or removing a server adds or
 * removes only its own points, so only the keys nearest to them move: about 1/N of all.
 *
 * <p>Immutable once built, except for the round-robin position of streams without a key, which
 * belongs to the one balancer (one event loop) that owns the ring.
 */
final class HashRing {

    /** HAProxy's {@code SRV_EWGHT_RANGE}: the ids' spacing, so that no two servers share a point. */
    private static final int ID_SPACING = 4096;
    /** Bits of a sorted entry below its point: the owner's index. */
    private static final int OWNER_BITS = 20;

    private final Server[] servers;
    private final long[] points;
    private final int[] owners;
    /** The effective weights the bounded load shares slots by, their running sums, their total. */
    private final int[] weights;
    private final int[] cumulative;
    private final int totalWeight;
    /** The point of the last round-robin pick, -1 before the first. */
    private int last = -1;

    /**
     * @param servers    the backend's servers, in the order written (their index + 1 is their id)
     * @param weights    each server's effective weight now ({@code weight * 16}), 0 for those left out
     * @param maxPoints  each server's points at most ({@code initial weight * 16}): HAProxy allocates
     *                   them once, so raising a weight above the configured one adds no points
     */
    HashRing(Server[] servers, int[] weights, int[] maxPoints) {
        this.servers = servers;
        this.weights = weights.clone();
        this.cumulative = new int[servers.length];
        int total = 0;
        int count = 0;
        for (int i = 0; i < servers.length; i++) {
            cumulative[i] = total;
            total += weights[i];
            count += Math.min(weights[i], maxPoints[i]);
        }
        this.totalWeight = total;
        long[] sorted = new long[count];
        int at = 0;
        for (int i = 0; i < servers.length; i++) {
            int n = Math.min(weights[i], maxPoints[i]);
            for (int node = 0; node < n; node++) {
                long point = HashFunctions.fullHash((i + 1) * ID_SPACING + node) & 0xffffffffL;
                sorted[at++] = point << OWNER_BITS | i;
            }
        }
        Arrays.sort(sorted);
        this.points = new long[count];
        this.owners = new int[count];
        for (int i = 0; i < count; i++) {
            points[i] = sorted[i] >>> OWNER_BITS;
            owners[i] = (int) (sorted[i] & ((1 << OWNER_BITS) - 1));
        }
    }

    boolean isEmpty() {
        return points.length == 0;
    }

    /**
     * {@code chash_get_server_hash}: the server of the point nearest to {@code hash}, moving on
     * along the ring past {@code avoid} and, when {@code balanceFactor} is not 0, past servers above
     * their bounded load (after going round the ring once, the last one looked at is taken).
     */
    Server lookup(long hash, Server avoid, int balanceFactor) {
        int n = points.length;
        int next = lowerBound(hash);
        if (next == n) {
            next = 0;
        }
        int prev = next == 0 ? n - 1 : next - 1;
        long dp = (hash - points[prev]) & 0xffffffffL;
        long dn = (points[next] - hash) & 0xffffffffL;
        if (dp <= dn) {
            next = prev;
        }
        long served = balanceFactor == 0 ? 0 : backendServed();
        Server chosen = servers[owners[next]];
        int loop = 0;
        while (chosen == avoid || balanceFactor != 0 && !eligible(owners[next], served, balanceFactor)) {
            next++;
            if (next == n) {
                next = 0;
                if (++loop > 1) {
                    break;
                }
            }
            chosen = servers[owners[next]];
        }
        return chosen;
    }

    /**
     * {@code chash_get_next_server}: for a stream without a key, the server of the point after the
     * last one used, past {@code avoid} unless it is the only one.
     */
    Server next(Server avoid) {
        int n = points.length;
        int node = last;
        for (int step = 0; step < n; step++) {
            node = node + 1 >= n ? 0 : node + 1;
            if (servers[owners[node]] != avoid) {
                last = node;
                return servers[owners[node]];
            }
        }
        return avoid;
    }

    /**
     * {@code chash_server_is_eligible}: the streams of the whole backend plus this one, times the
     * factor, shared out in slots by weight; a server is eligible while it serves fewer than its slots.
     */
    private boolean eligible(int i, long backendServed, int balanceFactor) {
        long totalSlots = ((backendServed + 1) * balanceFactor + 99) / 100;
        long perWeight = totalSlots / totalWeight;
        long remainder = totalSlots % totalWeight;
        long slots = weights[i] * perWeight;
        slots += (cumulative[i] + weights[i]) * remainder / totalWeight - cumulative[i] * remainder / totalWeight;
        if (slots == 0) {
            slots = 1;
        }
        return servers[i].currentStreams() < slots;
    }

    /** HAProxy's {@code proxy->served}: the streams on all the backend's servers. */
    private long backendServed() {
        long served = 0;
        for (Server server : servers) {
            served += server.currentStreams();
        }
        return served;
    }

    /** The first point at or after {@code hash}, or the number of points when there is none. */
    private int lowerBound(long hash) {
        int low = 0;
        int high = points.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (points[mid] < hash) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
