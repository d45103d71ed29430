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
 *
 * <p>Backup servers take part only when no active server is usable (HAProxy's {@code backup}), and
 * then only the first usable one in the order written (HAProxy without {@code option allbackups}).
 * Which tier serves is decided at every pick from the servers' states, so the first request after
 * the last active server leaves goes to the backup, and the first after one comes back goes to it.
 */
final class SmoothWeightedRoundRobin implements Balancer {

    private final Server[] servers;
    private final boolean[] backup;
    private final int[] scores;
    /** The weights the scores were earned with. */
    private final int[] weights;

    /** @param offset picks to skip first, so that several instances do not start in step */
    SmoothWeightedRoundRobin(List<? extends Server> servers, int offset) {
        this.servers = servers.toArray(Server[]::new);
        this.scores = new int[this.servers.length];
        this.weights = new int[this.servers.length];
        this.backup = new boolean[this.servers.length];
        for (int i = 0; i < this.servers.length; i++) {
            weights[i] = this.servers[i].weight();
            backup[i] = this.servers[i].isBackup();
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
        // The tier is chosen before the server to avoid is set aside: a failed active server does
        // not hand its traffic to a backup while it is still up, as in HAProxy.
        int onlyBackup = -1;
        if (!anyActiveUsable()) {
            onlyBackup = firstUsableBackup();
            if (onlyBackup < 0) {
                return null;
            }
        }
        int best = -1;
        int total = 0;
        for (int i = 0; i < servers.length; i++) {
            Server server = servers[i];
            int weight = weights[i];
            boolean inTier = onlyBackup < 0 ? !backup[i] : i == onlyBackup;
            if (!inTier || weight <= 0 || !server.isUp() || server == avoid) {
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

    private boolean anyActiveUsable() {
        for (int i = 0; i < servers.length; i++) {
            if (!backup[i] && weights[i] > 0 && servers[i].isUp()) {
                return true;
            }
        }
        return false;
    }

    private int firstUsableBackup() {
        for (int i = 0; i < servers.length; i++) {
            if (backup[i] && weights[i] > 0 && servers[i].isUp()) {
                return i;
            }
        }
        return -1;
    }
}
