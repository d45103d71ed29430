package io.luagate.plugin.balancer.hash;

import io.luagate.spi.proxy.Server;

/**
 * HAProxy 2.6's map ({@code lb_map.c}) for one set of usable servers: as many slots as their
 * total effective weight, filled in the order HAProxy fills them (each slot goes to the server
 * whose running score, raised by its weight at every slot, is highest; the first written wins a
 * tie), so that a hash modulo the total lands in the same server as in HAProxy. Immutable once
 * built, except for the round-robin position of streams without a key, owned by one balancer.
 */
final class ServerMap {

    private final Server[] slots;
    private int next;

    /**
     * @param servers the backend's servers in the order written
     * @param weights each one's effective weight (HAProxy's: its weight divided by the GCD of the
     *                configured weights, rounded up), 0 for those left out
     */
    ServerMap(Server[] servers, int[] weights) {
        int total = 0;
        for (int weight : weights) {
            total += weight;
        }
        this.slots = new Server[total];
        int[] scores = new int[servers.length];
        for (int slot = 0; slot < total; slot++) {
            int max = 0;
            int best = -1;
            for (int i = 0; i < servers.length; i++) {
                if (weights[i] == 0) {
                    continue;
                }
                if (total == 1) {
                    best = i;
                    break;
                }
                scores[i] += weights[i];
                int v = (scores[i] + total) / total;
                if (best < 0 || v > max) {
                    max = v;
                    best = i;
                }
            }
            slots[slot] = servers[best];
            scores[best] -= total;
        }
    }

    boolean isEmpty() {
        return slots.length == 0;
    }

    /** {@code map_get_server_hash}: the slot of the hash modulo the total weight (a server to avoid is not looked at). */
    Server lookup(long hash) {
        return slots[(int) (hash % slots.length)];
    }

    /** {@code map_get_server_rr}: the next slot for a stream without a key, past {@code avoid} unless it is the only one. */
    Server next(Server avoid) {
        for (int step = 0; step < slots.length; step++) {
            Server server = slots[next];
            next = next + 1 == slots.length ? 0 : next + 1;
            if (server != avoid) {
                return server;
            }
        }
        return avoid;
    }
}
