package io.luagate.spi.extension;

/**
 * An {@link Extension} that runs scripts and counts what they cost implements this too; the
 * kernel gathers every source's figures into {@link ExtensionRuntime#scriptStats()} and
 * Prometheus.
 */
public interface ScriptStatsSource {

    /**
     * The figures now. Called from any thread (a scrape, an admin request) while traffic runs: it
     * reads counters that event loops write without locks, so figures may be a few calls behind.
     */
    ScriptStats scriptStats();
}
