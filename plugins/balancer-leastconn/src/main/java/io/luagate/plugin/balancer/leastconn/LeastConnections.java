package io.luagate.plugin.balancer.leastconn;

import io.luagate.spi.balancer.Balancer;
import io.luagate.spi.proxy.Server;
import java.util.List;

/**
 * HAProxy's leastconn ({@code lb_fwlc.c}): the usable server whose load key is the lowest wins,
 * where the key of a server with {@code n} streams (current plus queued) is 0 when idle, else
 * {@code (n + 1) * 256 / weight}. An idle server always wins over a busy one whatever their
 * weights; a server of weight 2 takes about twice the streams of one of weight 1.
 *
 * <p>HAProxy keeps its servers in a tree ordered by that key, and moves a server to the end of
 * its equals each time it takes or drops a stream, so that servers with the same key take turns.
 * Here the counts are the kernel's (every loop's streams), read at each pick, and the turns are
 * kept per loop: each server remembers when this loop last gave it a stream or saw one end
 * ({@link #streamStarted}, {@link #streamEnded}), and among equal keys the longest unmoved wins,
 * then the first written. Backup servers serve only when no active one is usable, and then only the
 * first usable one in the order written (HAProxy without {@code option allbackups}).
 *
 * <p>One instance per event loop: the turn stamps need no lock. A pick reads each server's weight,
 * state and count once: linear in the number of servers, with no allocation.
 */
final class LeastConnections implements Balancer {

    /** HAProxy's {@code SRV_EWGHT_MAX / BE_WEIGHT_SCALE}: the key's scale per unit of weight. */
    private static final long SCALE = 256;

    private final Server[] servers;
    private final boolean[] backup;
    /** When this loop last moved each server among its equals; 0: never. */
    private final long[] moved;
    private long clock;

    LeastConnections(List<? extends Server> servers) {
        this.servers = servers.toArray(Server[]::new);
        this.backup = new boolean[this.servers.length];
        this.moved = new long[this.servers.length];
        for (int i = 0; i < this.servers.length; i++) {
            backup[i] = this.servers[i].isBackup();
        }
    }

    @Override
    public Server next(Server avoid) {
        if (!anyActiveUsable()) {
            // HAProxy gives the first usable backup alone, even to a stream that just failed on it.
            int first = firstUsableBackup();
            return first < 0 ? null : servers[first];
        }
        int best = -1;
        long bestKey = 0;
        int avoided = -1;
        for (int i = 0; i < servers.length; i++) {
            Server server = servers[i];
            int weight = server.weight();
            if (backup[i] || weight <= 0 || !server.isUp()) {
                continue;
            }
            if (server == avoid) {
                avoided = i;
                continue;
            }
            long key = key(server, weight);
            if (best < 0 || key < bestKey || key == bestKey && moved[i] < moved[best]) {
                best = i;
                bestKey = key;
            }
        }
        if (best < 0) {
            return avoided < 0 ? null : servers[avoided];
        }
        return servers[best];
    }

    /** HAProxy's {@code fwlc_queue_srv} key, with its effective weight ({@code weight * 16}) simplified away. */
    static long key(Server server, int weight) {
        long inflight = (long) server.currentStreams() + server.queued();
        return inflight == 0 ? 0 : (inflight + 1) * SCALE / weight;
    }

    @Override
    public void streamStarted(Server server) {
        touch(server);
    }

    @Override
    public void streamEnded(Server server) {
        touch(server);
    }

    /** The server moves to the end of its equals, as HAProxy repositions it in its tree. */
    private void touch(Server server) {
        for (int i = 0; i < servers.length; i++) {
            if (servers[i] == server) {
                moved[i] = ++clock;
                return;
            }
        }
    }

    private boolean anyActiveUsable() {
        for (int i = 0; i < servers.length; i++) {
            if (!backup[i] && servers[i].weight() > 0 && servers[i].isUp()) {
                return true;
            }
        }
        return false;
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
