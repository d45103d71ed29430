package io.luagate.plugin.balancer.random;

import io.luagate.spi.balancer.Balancer;
import io.luagate.spi.proxy.Server;
import java.util.List;
import java.util.SplittableRandom;

/**
 * HAProxy's {@code random(N)} ({@code get_server_rnd}): N servers are drawn at random, each with a
 * chance proportional to its weight, and the least loaded of them relative to its weight wins
 * (the power of N choices: with 2 draws the most loaded server is rarely picked, yet no state is
 * shared). The load is the kernel's count of current plus queued streams on every loop. With one
 * draw it is weighted random.
 *
 * <p>A draw that lands on the server to avoid draws again among the others, as HAProxy walks on to
 * the next server of its ring. Backup servers serve only when no active server is usable, and then
 * only the first usable one in the order written. One instance per event loop, with its own
 * generator: a pick takes no lock and allocates nothing.
 */
final class PowerOfChoices implements Balancer {

    private final Server[] servers;
    private final boolean[] backup;
    private final int draws;
    private final SplittableRandom random;

    PowerOfChoices(List<? extends Server> servers, int draws, SplittableRandom random) {
        this.servers = servers.toArray(Server[]::new);
        this.backup = new boolean[this.servers.length];
        for (int i = 0; i < this.servers.length; i++) {
            backup[i] = this.servers[i].isBackup();
        }
        this.draws = draws;
        this.random = random;
    }

    @Override
    public Server next(Server avoid) {
        long total = 0;
        long totalWithAvoided = 0;
        for (int i = 0; i < servers.length; i++) {
            int weight = usableWeight(i);
            totalWithAvoided += weight;
            if (servers[i] != avoid) {
                total += weight;
            }
        }
        if (totalWithAvoided == 0) {
            int first = firstUsableBackup();
            return first < 0 ? null : servers[first];
        }
        if (total == 0) {
            return avoid;
        }
        Server best = null;
        for (int draw = 0; draw < draws; draw++) {
            Server drawn = draw(random.nextLong(total), avoid);
            if (drawn == null) {
                continue;
            }
            if (best == null || drawn != best && lessLoaded(drawn, best)) {
                best = drawn;
            }
        }
        return best;
    }

    /**
     * Whether {@code a} carries less load per weight than {@code b}; on a tie the earlier draw stays,
     * as in HAProxy ({@code curr->served * prev->weight > prev->served * curr->weight} keeps prev).
     */
    private static boolean lessLoaded(Server a, Server b) {
        long loadA = (long) a.currentStreams() + a.queued();
        long loadB = (long) b.currentStreams() + b.queued();
        return loadA * b.weight() < loadB * a.weight();
    }

    /** The server at {@code point} of the usable weights laid end to end, leaving out {@code avoid}. */
    private Server draw(long point, Server avoid) {
        Server last = null;
        for (int i = 0; i < servers.length; i++) {
            if (servers[i] == avoid) {
                continue;
            }
            int weight = usableWeight(i);
            if (weight == 0) {
                continue;
            }
            last = servers[i];
            if (point < weight) {
                return last;
            }
            point -= weight;
        }
        // Only when a weight dropped between the sum and the walk (another thread): the last usable.
        return last;
    }

    /** The active server's weight when it may take traffic now, else 0. */
    private int usableWeight(int i) {
        Server server = servers[i];
        if (backup[i] || !server.isUp()) {
            return 0;
        }
        return Math.max(0, server.weight());
    }

    private int firstUsableBackup() {
        for (int i = 0; i < servers.length; i++) {
            if (backup[i] && servers[i].weight() > 0 && servers[i].isUp()) {
                return i;
            }
        }
        return -1;
    }
}
