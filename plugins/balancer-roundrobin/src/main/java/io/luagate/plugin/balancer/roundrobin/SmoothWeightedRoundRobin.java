package io.luagate.plugin.balancer.roundrobin;

import io.luagate.spi.balancer.Balancer;
import io.luagate.spi.proxy.Server;
import java.util.Arrays;
import java.util.List;

/**
 * Smooth weighted round-robin (the algorithm nginx uses): every pick adds each eligible server's
 * weight to its running score, takes the highest score, and subtracts the total from the winner.
 * With weights 5,1,1 the order is a,a,b,a,c,a,a - spread out, never bursts of one server - and
 * over any window of sum(weights) picks each server gets exactly its weight.
 *
 * <p>One instance per event loop (the kernel makes one per loop), so the scores need no lock.
 * Weights and states are read from the servers at every pick, so a change made at run time (from
 * Lua, an admin API) applies to the next pick. Servers that are not up (down, in drain, in
 * maintenance) or have weight 0 take no part; when they come back they start from 0. When a
 * weight changes, every score starts again from 0, so the windows follow the new weights at once
 * instead of paying off scores earned under the old ones.
 */
final class SmoothWeightedRoundRobin implements Balancer {

    private final Server[] servers;
    private final int[] scores;
    /** The weights the scores were earned with. */
    private final int[] weights;

    /** @param offset picks to skip first, so that several instances do not start in step */
    SmoothWeightedRoundRobin(List<? extends Server> servers, int offset) {
        this.servers = servers.toArray(Server[]::new);
        this.scores = new int[this.servers.length];
        this.weights = new int[this.servers.length];
        for (int i = 0; i < this.servers.length; i++) {
            weights[i] = this.servers[i].weight();
        }
        for (int i = 0; i < offset; i++) {
            pick(null);
        }
    }

    @Override
    public Server next(Server avoid) {
        Server picked = pick(avoid);
        // The server to avoid is still better than nothing when it is the only one up.
        return picked == null && avoid != null ? pick(null) : picked;
    }

    private Server pick(Server avoid) {
        // The weights are read once per pick, first, so that a change made meanwhile by another
        // thread gives one consistent set for this pick.
        boolean reweighted = false;
        for (int i = 0; i < servers.length; i++) {
            int weight = servers[i].weight();
            if (weight != weights[i]) {
                weights[i] = weight;
                reweighted = true;
            }
        }
        if (reweighted) {
            Arrays.fill(scores, 0);
        }
        int best = -1;
        int total = 0;
        for (int i = 0; i < servers.length; i++) {
            Server server = servers[i];
            int weight = weights[i];
            if (weight <= 0 || !server.isUp() || server == avoid) {
                scores[i] = 0;
                continue;
            }
            scores[i] += weight;
            total += weight;
            if (best < 0 || scores[i] > scores[best]) {
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        scores[best] -= total;
        return servers[best];
    }
}
