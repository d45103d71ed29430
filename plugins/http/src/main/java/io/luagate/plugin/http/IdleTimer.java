package io.luagate.plugin.http;

import java.util.concurrent.TimeUnit;

/**
 * An inactivity timeout that is cheap to push back and to re-arm. One instance serves a whole
 * connection (its requests one after the other), so a busy keep-alive connection does not
 * schedule a check per request: {@link #touch()} and {@link #stop()} only record state, and the
 * single pending check re-queues the timer for the remainder when it wakes up early. A new
 * deadline earlier than the pending check replaces it. {@link #cancel()} must be called when the
 * connection closes, so that no pending check keeps the connection's objects alive.
 *
 * <p>The checks are shared: an HTTP/1.1 connection's timers wait in their loop's
 * {@link LoopTimers}, an HTTP/2 stream's (which live for one request) in their connection's
 * {@link TimerGroup}; neither schedules a task of the loop per timer.
 *
 * <p>Confined to one event loop.
 */
final class IdleTimer implements Runnable {

    /** Told when a timer expires: one object for all the timers of a connection (no lambda each). */
    interface Expiry {
        void expired(IdleTimer timer);
    }

    /** The longest timeout: HAProxy's too (2^31 - 1 ms, about 24.8 days). */
    private static final long MAX_TIMEOUT_MILLIS = Integer.MAX_VALUE;

    private final TimerCheck check;
    private final Expiry onExpire;
    /** Kept small (an int of milliseconds): every idle connection holds its timers. */
    private int timeoutMillis;
    private boolean armed;
    /** Waiting in {@link #check} (its check is pending there). */
    boolean queued;
    /** The place in {@link #check}'s array while {@link #queued}. */
    int slot;
    private long deadline;
    /** When the pending check is due; meaningful while {@link #queued}. */
    long checkAt;

    IdleTimer(TimerCheck check, Expiry onExpire) {
        this.check = check;
        this.onExpire = onExpire;
    }

    /** Arms the timer to expire {@code timeoutMillis} from now unless touched. */
    void start(long timeoutMillis) {
        this.timeoutMillis = (int) Math.min(timeoutMillis, MAX_TIMEOUT_MILLIS);
        long timeoutNanos = timeoutNanos();
        deadline = System.nanoTime() + timeoutNanos;
        armed = true;
        if (queued && checkAt - deadline > 0) {
            check.remove(this);
        }
        if (!queued) {
            schedule(timeoutNanos);
        }
    }

    /** Pushes the deadline back by a full timeout, if armed. */
    void touch() {
        if (armed) {
            deadline = System.nanoTime() + timeoutNanos();
        }
    }

    /** Disarms; the pending check, if any, will find nothing to do. */
    void stop() {
        armed = false;
    }

    /** Disarms and drops the pending check: for a connection that is gone. */
    void cancel() {
        armed = false;
        check.remove(this);
    }

    boolean armed() {
        return armed;
    }

    private long timeoutNanos() {
        return TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    private void schedule(long delayNanos) {
        checkAt = System.nanoTime() + delayNanos;
        check.add(this);
    }

    /** The check is due (the check took this timer out first). */
    @Override
    public void run() {
        if (!armed) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            armed = false;
            onExpire.expired(this);
        } else {
            schedule(left);
        }
    }
}
