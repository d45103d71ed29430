package io.luagate.spi.extension;

import java.time.Instant;

/**
 * The running process as a whole, as HAProxy's {@code show info} describes it: what it is, since
 * when it runs, and its connection and request figures now and since start. Every method reads the
 * live value (no snapshot), may be called from any thread, and takes no lock.
 */
public interface ProcessInfo {

    /** The operating system's process id. */
    long pid();

    /** luagate's version, for example {@code 1.0.0-SNAPSHOT}. */
    String version();

    /** The day this build was made, {@code yyyy/mm/dd} as HAProxy prints its release date, or {@code ""} when unknown. */
    String releaseDate();

    /** When the process started. */
    Instant startTime();

    /** Milliseconds since {@link #startTime()}. */
    long uptimeMillis();

    /** How many event loops run ({@code global.threads}, resolved; HAProxy's {@code Nbthread}). */
    int threads();

    /** {@code global.maxconn}: client connections accepted at most at a time. */
    int maxConnections();

    /** Client connections open now, over every frontend ({@code CurrConns}). */
    long currentConnections();

    /** Client connections accepted since start ({@code CumConns}). */
    long totalConnections();

    /** HTTP requests received since start, over every frontend ({@code CumReq}). */
    long totalRequests();

    /** Whether the process is stopping (draining its connections before it exits). */
    boolean stopping();

    /** The host's name ({@code node} in {@code show info}). */
    String node();
}
