package io.luagate.plugin.http;

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

    /**
     * Whom a timer belongs to: where it waits for its checks, and who is told when it expires. One
     * object for all the timers of a connection, so that a timer holds one reference, not a check
     * and a callback (and no lambda is made per timer).
     */
    interface Owner {
        /** Where this owner's timers wait for their checks. */
        TimerCheck timerCheck();

        void expired(IdleTimer timer);
    }

    /** The longest timeout: HAProxy's too (2^31 - 1 ms, about 24.8 days). */
    private static final long MAX_TIMEOUT_MILLIS = Integer.MAX_VALUE;
    /**
     * The furthest a check is queued ahead (about 12.4 days): a longer timeout is checked again
     * then. It keeps every queued instant, overdue or not, within 2^31 ms of every other, as
     * comparing ints of {@link TimerClock} requires (a deadline alone, 2^31 - 1 ms ahead, would be).
     */
    private static final int CHECK_HORIZON_MILLIS = 1 << 30;
    /** {@link #timeoutMillis} of a timer that is not armed. */
    private static final int DISARMED = -1;

    /*
     * Every idle connection holds its timers, so a timer is kept to 32 bytes: its timeout an int of
     * milliseconds that also says whether it is armed, its place in the check an int that also says
     * whether it waits there, one reference for its check and its callback, and its two instants
     * ints of TimerClock's milliseconds (a deadline is met in the millisecond after it, never before).
     */
    private final Owner owner;
    /** The timeout it is armed with, or {@link #DISARMED}. */
    private int timeoutMillis = DISARMED;
    /** The place in its owner's {@link TimerCheck} while it waits there (its check pending), else -1. */
    int slot = -1;
    /** The first {@link TimerClock} millisecond at which it has expired. */
    private int deadline;
    /** When the pending check is due ({@link TimerClock} milliseconds); meaningful while {@link #queued()}. */
    int checkAt;

    IdleTimer(Owner owner) {
        this.owner = owner;
    }

    /** Arms the timer to expire {@code timeoutMillis} from now unless touched. */
    void start(long timeoutMillis) {
        this.timeoutMillis = (int) Math.max(0, Math.min(timeoutMillis, MAX_TIMEOUT_MILLIS));
        long now = System.nanoTime();
        deadline = deadlineFrom(now);
        if (queued() && checkAt - deadline > 0) {
            owner.timerCheck().remove(this);
        }
        if (!queued()) {
            schedule(deadline, TimerClock.millis(now));
        }
    }

    /** Pushes the deadline back by a full timeout, if armed. */
    void touch() {
        if (armed()) {
            deadline = deadlineFrom(System.nanoTime());
        }
    }

    /** Disarms; the pending check, if any, will find nothing to do. */
    void stop() {
        timeoutMillis = DISARMED;
    }

    /** Disarms and drops the pending check: for a connection that is gone. */
    void cancel() {
        timeoutMillis = DISARMED;
        owner.timerCheck().remove(this);
    }

    boolean armed() {
        return timeoutMillis != DISARMED;
    }

    /** Whether it waits in its owner's check (its check is pending there). */
    boolean queued() {
        return slot >= 0;
    }

    private int deadlineFrom(long nanoTime) {
        // The deadline's millisecond begins at or after the exact instant; one under 2^31 ms ahead of the clock.
        return TimerClock.millisAtOrAfter(nanoTime) + Math.min(timeoutMillis, Integer.MAX_VALUE - 1);
    }

    private void schedule(int at, int now) {
        checkAt = at - now > CHECK_HORIZON_MILLIS ? now + CHECK_HORIZON_MILLIS : at;
        owner.timerCheck().add(this);
    }

    /** The check is due (the check took this timer out first). */
    @Override
    public void run() {
        if (!armed()) {
            return;
        }
        int now = TimerClock.millis(System.nanoTime());
        if (deadline - now <= 0) {
            timeoutMillis = DISARMED;
            owner.expired(this);
        } else {
            schedule(deadline, now);
        }
    }
}
