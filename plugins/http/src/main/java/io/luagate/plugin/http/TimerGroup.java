package io.luagate.plugin.http;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link IdleTimer}s of one HTTP/2 connection's streams on one scheduled check. A stream lives
 * for one request, so timers of its own would schedule (and cancel) a task of the event loop per
 * request, and keep the loop's queue as long as the streams in flight; here a stream's timer only
 * joins a list, and the one check wakes at the earliest deadline it was asked for, runs the timers
 * that are due and sleeps until the next. Timers of one connection share their timeouts, so a new
 * stream's deadline is almost never earlier than the check already scheduled.
 *
 * <p>The list shrinks as its timers go (to half its size when a quarter is in use): an HTTP/2
 * connection idle after a burst of streams keeps no array for them.
 *
 * <p>{@link #close()} when the connection is gone. Confined to the connection's event loop.
 */
final class TimerGroup implements TimerCheck, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TimerGroup.class);
    /** The list's smallest size: it never shrinks below (nor starts above) this. */
    private static final int MIN_CAPACITY = 4;

    private final EventLoop loop;
    /** The timers waiting for a check, in no order; each knows its {@link IdleTimer#slot} here. */
    private IdleTimer[] timers = new IdleTimer[MIN_CAPACITY];
    private int size;
    private ScheduledFuture<?> task;
    private int taskDeadline;
    private boolean closed;
    private final ArrayList<IdleTimer> due = new ArrayList<>();

    TimerGroup(EventLoop loop) {
        this.loop = loop;
    }

    /** {@code timer} wants to be run at (or after) its {@code checkAt} ({@link TimerClock} milliseconds). */
    @Override
    public void add(IdleTimer timer) {
        if (closed) {
            return;
        }
        if (size == timers.length) {
            timers = Arrays.copyOf(timers, size * 2);
        }
        timers[size] = timer;
        timer.slot = size++;
        if (task == null || taskDeadline - timer.checkAt > 0) {
            if (task != null) {
                task.cancel(false);
            }
            schedule(timer.checkAt);
        }
    }

    /**
     * Takes {@code timer} out (the last one takes its slot). The check stays scheduled: it finds
     * nothing to do once, which costs less than cancelling and scheduling again as streams come and go.
     */
    @Override
    public void remove(IdleTimer timer) {
        if (!timer.queued()) {
            return;
        }
        int at = timer.slot;
        timer.slot = -1;
        IdleTimer last = timers[--size];
        timers[size] = null;
        if (last != timer) {
            timers[at] = last;
            last.slot = at;
        }
        if (size < timers.length >>> 2 && timers.length > MIN_CAPACITY) {
            timers = Arrays.copyOf(timers, timers.length >>> 1);
        }
    }

    /** The list's array length (tests). */
    int capacity() {
        return timers.length;
    }

    /** The connection is gone: no check runs any more. */
    void close() {
        closed = true;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        while (size > 0) {
            remove(timers[size - 1]);
        }
    }

    private void schedule(int at) {
        taskDeadline = at;
        task = loop.schedule(this, Math.max(0, TimerClock.nanosUntil(at, System.nanoTime())), TimeUnit.NANOSECONDS);
    }

    @Override
    public void run() {
        task = null;
        if (closed) {
            return;
        }
        int now = TimerClock.millis(System.nanoTime());
        int next = 0;
        boolean more = false;
        // Due timers leave the list before any runs: running one may stop or start others.
        for (int i = 0; i < size; ) {
            IdleTimer t = timers[i];
            if (t.checkAt - now <= 0) {
                remove(t); // the last timer moves into slot i: looked at next
                due.add(t);
                continue;
            }
            if (!more || next - t.checkAt > 0) {
                next = t.checkAt;
                more = true;
            }
            i++;
        }
        if (more) {
            schedule(next);
        }
        int ran = due.size();
        for (int i = 0; i < ran; i++) {
            try {
                due.get(i).run();
            } catch (RuntimeException e) {
                // As the loop would log a task of its own that failed; the other streams' timers still run.
                LOG.warn("a stream timer failed", e);
            }
        }
        due.clear();
        if (ran > MIN_CAPACITY) {
            due.trimToSize();
        }
    }
}
