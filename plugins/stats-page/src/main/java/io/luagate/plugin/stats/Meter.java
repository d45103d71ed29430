package io.luagate.plugin.stats;

/**
 * The figures of one frontend, backend or server that HAProxy shows and luagate's counters do not
 * keep: the session rate (sessions started during the last whole second) and the highest rate and
 * current sessions seen since start. Written once a second by the {@link RateSampler} only; read
 * by any page render.
 */
final class Meter {

    private long lastTotal = -1;
    private volatile long rate;
    private volatile long maxRate;
    private volatile long maxCurrent;

    /** Takes one sample of the counters, a second after the previous one. */
    void sample(long total, long current) {
        if (lastTotal >= 0) {
            long now = Math.max(0, total - lastTotal);
            rate = now;
            if (now > maxRate) {
                maxRate = now;
            }
        }
        lastTotal = total;
        if (current > maxCurrent) {
            maxCurrent = current;
        }
    }

    long rate() {
        return rate;
    }

    long maxRate() {
        return maxRate;
    }

    /** The highest of the sampled current sessions and {@code now} (what the page shows as cur). */
    long maxCurrent(long now) {
        return Math.max(maxCurrent, now);
    }
}
