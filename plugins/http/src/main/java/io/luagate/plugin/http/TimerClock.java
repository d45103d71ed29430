package io.luagate.plugin.http;

/**
 * The time of {@link IdleTimer}s: milliseconds of {@link System#nanoTime()} since this class was
 * loaded, in an int. An int keeps a timer's two instants to 4 bytes each (every idle connection
 * holds up to three timers), and a millisecond is HAProxy's own timer resolution. The int wraps
 * after about 24.8 days, so instants are compared by their difference ({@code a - b < 0}), which
 * holds while they are less than 2^31 ms apart: the longest timeout is 2^31 - 1 ms.
 */
final class TimerClock {

    private static final long EPOCH = System.nanoTime();
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private TimerClock() {
    }

    /** The millisecond {@code nanoTime} falls in. */
    static int millis(long nanoTime) {
        return (int) Math.floorDiv(nanoTime - EPOCH, NANOS_PER_MILLI);
    }

    /**
     * The first millisecond that begins at or after {@code nanoTime}: a timer due then is never
     * seen due before {@code nanoTime} by {@link #millis}.
     *
     * <p>A ceiling written as a floor of a non-negative number (every instant after this class
     * was loaded), not as {@code -floorDiv(EPOCH - nanoTime, ...)}: with a negative dividend,
     * floorDiv's "exactly divisible" branch is taken once in about a million calls (an instant on
     * a millisecond's first nanosecond), so C2 compiled it as an uncommon trap; each hit threw
     * the event loop's hottest compiled methods (every timer start and touch of the request path
     * calls this) back to the interpreter and recompiled them (up to ~200 ms of C2 on the loop's
     * core), one to four times per JVM in ~30 s of 30-40k requests/s (bench/README.md, "The
     * HTTP/1.1 tail: the JIT in the measured rounds (issue 14, fourth round)").
     */
    static int millisAtOrAfter(long nanoTime) {
        return (int) Math.floorDiv(nanoTime - EPOCH + NANOS_PER_MILLI - 1, NANOS_PER_MILLI);
    }

    /** Nanoseconds from {@code nanoTime} until millisecond {@code at} begins (negative when past). */
    static long nanosUntil(int at, long nanoTime) {
        long sinceEpoch = nanoTime - EPOCH;
        int now = (int) Math.floorDiv(sinceEpoch, NANOS_PER_MILLI);
        return (at - now) * NANOS_PER_MILLI - Math.floorMod(sinceEpoch, NANOS_PER_MILLI);
    }
}
