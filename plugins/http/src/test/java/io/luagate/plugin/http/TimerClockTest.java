package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link TimerClock}: milliseconds of nanoTime in an int, never seen due early. */
class TimerClockTest {

    @Test
    void aMillisecondAtOrAfterAnInstantBeginsNoEarlierAndLessThanAMillisecondLater() {
        Random random = new Random(7);
        long base = System.nanoTime();
        for (int i = 0; i < 100_000; i++) {
            // Instants before and after the clock's epoch, some on a millisecond's first nanosecond.
            long t = base + random.nextLong(-5_000_000_000L, 5_000_000_000L);
            if (i % 10 == 0) {
                t += TimerClock.nanosUntil(TimerClock.millis(t), t);
            }
            int at = TimerClock.millisAtOrAfter(t);
            long until = TimerClock.nanosUntil(at, t);
            assertTrue(until >= 0 && until < 1_000_000, "at " + at + " begins " + until + " ns after the instant");
            assertEquals(at, TimerClock.millis(t + until), "the millisecond begins where nanosUntil says");
            if (until > 0) {
                assertEquals(at - 1, TimerClock.millis(t + until - 1), "and not a nanosecond earlier");
            }
            assertTrue(TimerClock.millis(t) - at <= 0, "an instant is never past the millisecond at or after it");
        }
    }

    @Test
    void anInstantOnAMillisecondsFirstNanosecondIsThatMillisecondOnEitherSideOfTheEpoch() {
        long t = System.nanoTime();
        long first = t + TimerClock.nanosUntil(TimerClock.millis(t) + 1, t);
        for (long k = -3; k <= 3; k++) {
            // Milliseconds' starts around now, and the same 10 s before the clock's epoch (negative instants).
            for (long edge : new long[] {first + k * 1_000_000L, first - 10_000_000_000L + k * 1_000_000L}) {
                int ms = TimerClock.millis(edge);
                assertEquals(ms, TimerClock.millisAtOrAfter(edge), "an instant on a millisecond's first nanosecond");
                assertEquals(ms + 1, TimerClock.millisAtOrAfter(edge + 1), "one nanosecond later");
                assertEquals(ms, TimerClock.millisAtOrAfter(edge - 1), "one nanosecond earlier");
            }
        }
    }
}
