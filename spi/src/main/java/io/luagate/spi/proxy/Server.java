package io.luagate.spi.proxy;

import java.net.InetSocketAddress;

/**
 * One server of a backend. Its name is fixed; its address, weight and states may change at run
 * time (Lua's Server class, an admin API) from any thread, and every change is seen by the next
 * balancer pick on every event loop. Reads take no lock, so the hot path stays lock-free; a
 * reader may see one change before another made just after it, never a torn value.
 */
public interface Server {

    String name();

    /**
     * The destination now; {@code 0.0.0.0:0} means "the destination set per request" (set-dst).
     * Changed by {@link #setAddress}: connections already made to the previous address go on.
     */
    InetSocketAddress address();

    /** Relative share of the traffic now, 0..256 (HAProxy's range); 0 takes no new traffic. */
    int weight();

    /** The weight the configuration gave, the base of relative changes such as HAProxy's {@code "50%"}. */
    int initialWeight();

    /**
     * Whether the balancer may pick this server for new traffic now: {@link ServerAdmin#READY} and
     * {@link ServerHealth#UP}. A server in drain, in maintenance, forced down or into NOLB is not
     * picked, while the streams it already serves go on. Balancers also skip weight 0.
     */
    boolean isUp();

    /**
     * Whether the server was written {@code backup} (fixed for its life): the balancer picks a backup
     * server only when no active server is usable, as HAProxy does (without {@code option allbackups},
     * only the first usable backup in the order written).
     */
    default boolean isBackup() {
        return false;
    }

    /**
     * The streams using this server now, on every event loop: counted from the moment a balancer
     * gives the server to a stream (connecting included) until the stream ends or is retried on
     * another server (HAProxy's {@code served}). One volatile read, cheap enough for every pick.
     */
    default int currentStreams() {
        return (int) Math.min(Integer.MAX_VALUE, stats().currentSessions());
    }

    /**
     * The streams waiting for a free slot of this server (HAProxy's queue). luagate has no server
     * queues ({@code maxconn} per server) yet, so the kernel's servers say 0; a balancer should still
     * count it with {@link #currentStreams()}, as HAProxy's load figures do.
     */
    default int queued() {
        return 0;
    }

    /** The administrative state now. */
    ServerAdmin admin();

    /** The operational state now. */
    ServerHealth health();

    /**
     * HAProxy's "draining": in {@link ServerAdmin#DRAIN}, or of weight 0 (both take no new
     * traffic but let the current streams finish).
     */
    default boolean isDraining() {
        return admin() == ServerAdmin.DRAIN || weight() == 0;
    }

    /**
     * Changes the weight for every later pick.
     *
     * @throws IllegalArgumentException outside 0..256
     */
    void setWeight(int weight);

    /**
     * Sends new connections to {@code address} (an IP literal; {@code 0.0.0.0} makes the server
     * follow each stream's destination, port 0 keeping the destination's port). Connections made
     * to the previous address go on; idle ones are never given to a stream for the new address.
     */
    void setAddress(InetSocketAddress address);

    /**
     * Changes the administrative state as HAProxy does: entering {@link ServerAdmin#MAINT} takes
     * the server {@link ServerHealth#DOWN}, and leaving it brings it back {@link ServerHealth#UP}
     * (there are no health checks to wait for).
     */
    void setAdmin(ServerAdmin admin);

    /** Forces the operational state; ignored while in {@link ServerAdmin#MAINT}, as in HAProxy. */
    void forceHealth(ServerHealth health);

    /**
     * Closes every stream this server serves now, client connection included, with termination
     * cause "killed" (HAProxy's {@code shutdown sessions server}). Returns at once; the streams
     * close on their own event loops just after.
     */
    void shutdownStreams();

    /** The server's counters now. */
    TrafficStats stats();
}
