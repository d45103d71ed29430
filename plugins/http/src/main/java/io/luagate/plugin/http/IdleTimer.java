package io.luagate.plugin.http;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An inactivity timeout that is cheap to push back and to re-arm. One instance serves a whole
 * connection (its requests one after the other), so a busy keep-alive connection does not
 * schedule a task per request: {@link #touch()} and {@link #stop()} only record state, and the
 * single scheduled check re-schedules itself for the remainder when it wakes up early. A new
 * deadline earlier than the scheduled check replaces it. {@link #cancel()} must be called when the
 * connection closes, so that no pending task keeps the connection's objects alive.
 *
 * <p>An HTTP/2 stream's timers, which live for one request, are checked by their connection's
 * {@link TimerGroup} instead of a task of their own.
 *
 * <p>Confined to one event loop.
 */
final class IdleTimer implements Runnable {

    private final EventLoop loop;
    /** The connection's shared check, or {@code null}: a task of this timer's own. */
    private final TimerGroup group;
    private final Runnable onExpire;
    private long timeoutNanos;
    private long deadline;
    private boolean armed;
    private ScheduledFuture<?> task;
    /** When the pending check (own task or the group's) is due; meaningful while one is pending. */
    long checkAt;
    /** In {@link #group}'s list (its check is pending there). */
    boolean queued;
    IdleTimer prev;
    IdleTimer next;

    IdleTimer(EventLoop loop, Runnable onExpire) {
        this.loop = loop;
        this.group = null;
        this.onExpire = onExpire;
    }

    IdleTimer(TimerGroup group, Runnable onExpire) {
        this.loop = group.loop();
        this.group = group;
        this.onExpire = onExpire;
    }

    /** Arms the timer to expire {@code timeoutMillis} from now unless touched. */
    void start(long timeoutMillis) {
        timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        deadline = System.nanoTime() + timeoutNanos;
        armed = true;
        if (pending() && checkAt - deadline > 0) {
            unschedule();
        }
        if (!pending()) {
            schedule(timeoutNanos);
        }
    }

    /** Pushes the deadline back by a full timeout, if armed. */
    void touch() {
        if (armed) {
            deadline = System.nanoTime() + timeoutNanos;
        }
    }

    /** Disarms; the scheduled check, if any, will find nothing to do. */
    void stop() {
        armed = false;
    }

    /** Disarms and drops the scheduled check: for a connection that is gone. */
    void cancel() {
        armed = false;
        unschedule();
    }

    boolean armed() {
        return armed;
    }

    private boolean pending() {
        return group == null ? task != null : queued;
    }

    private void unschedule() {
        if (group != null) {
            group.remove(this);
        } else if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void schedule(long delayNanos) {
        checkAt = System.nanoTime() + delayNanos;
        if (group != null) {
            group.add(this);
        } else {
            task = loop.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void run() {
        task = null;
        if (!armed) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            armed = false;
            onExpire.run();
        } else {
            schedule(left);
        }
    }
}
