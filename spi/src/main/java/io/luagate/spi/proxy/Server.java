package io.luagate.spi.proxy;

import io.luagate.spi.health.ServerCheckSettings;
import io.luagate.spi.health.ServerCheckState;
import io.luagate.spi.health.ServerObserver;
import io.luagate.spi.health.ServerStatus;
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
     * the server {@link ServerHealth#DOWN} (its check counter to 0, its checks paused); leaving it
     * brings it back {@link ServerHealth#UP}, a checked server with its counter at {@code rise}:
     * up, but one failed check takes it down (HAProxy's "start OK but check immediately").
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

    /** How the server is checked and observed ({@link ServerCheckSettings#NONE}: neither). */
    default ServerCheckSettings checkSettings() {
        return ServerCheckSettings.NONE;
    }

    /** What its checks found so far ({@link ServerCheckState#UNCHECKED} without {@code check}). */
    default ServerCheckState checkState() {
        return ServerCheckState.UNCHECKED;
    }

    /**
     * Its status as HAProxy's stats show it: {@code UP}, {@code DOWN}, {@code UP 1/3}, {@code DOWN 1/2},
     * {@code NOLB}, {@code DRAIN}, {@code MAINT}, {@code no check} (see {@link ServerStatus}).
     */
    default String status() {
        return ServerStatus.of(admin(), health(), checkState());
    }

    /** How many times it went DOWN (HAProxy's {@code chkdown}), whatever the cause. */
    default long downTransitions() {
        return 0;
    }

    /** When its admin or operational state last changed (HAProxy's {@code lastchg}), in epoch ms; the start until then. */
    default long lastChangeMillis() {
        return 0;
    }

    /** How long it has been DOWN in total since the start (HAProxy's {@code downtime}), in ms, the current spell included. */
    default long downtimeMillis() {
        return 0;
    }

    /**
     * Publishes what the checker found: {@code state} replaces the check state, and the server
     * takes {@code health} unless it is in maintenance (whose checks are paused). Thread-safe;
     * of concurrent reports each sees the state the one before left, so exactly one caller learns
     * of each transition.
     *
     * @return the operational state before, when it changed (the caller logs the transition), else {@code null}
     * @throws UnsupportedOperationException by a server that cannot be checked
     */
    default ServerHealth reportCheck(ServerCheckState state, ServerHealth health) {
        throw new UnsupportedOperationException("server " + name() + " cannot be checked");
    }

    /**
     * Tells {@code observer} the outcome of each later stream on this server ({@code observe}).
     * Called by the checker when it starts, before traffic; the kernel reports nothing for a
     * server without one (one branch on the hot path).
     *
     * @throws UnsupportedOperationException by a server that cannot be observed
     */
    default void observeWith(ServerObserver observer) {
        throw new UnsupportedOperationException("server " + name() + " cannot be observed");
    }
}
