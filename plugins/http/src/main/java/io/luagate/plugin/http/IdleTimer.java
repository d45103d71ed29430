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
 * <p>Confined to one event loop.
 */
final class IdleTimer implements Runnable {

    private final EventLoop loop;
    private final Runnable onExpire;
    private long timeoutNanos;
    private long deadline;
    private boolean armed;
    private ScheduledFuture<?> task;
    private long taskDeadline;

    IdleTimer(EventLoop loop, Runnable onExpire) {
        this.loop = loop;
        this.onExpire = onExpire;
    }

    /** Arms the timer to expire {@code timeoutMillis} from now unless touched. */
    void start(long timeoutMillis) {
        timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        deadline = System.nanoTime() + timeoutNanos;
        armed = true;
        if (task != null && taskDeadline - deadline > 0) {
            task.cancel(false);
            task = null;
        }
        if (task == null) {
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
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    boolean armed() {
        return armed;
    }

    private void schedule(long delayNanos) {
        taskDeadline = System.nanoTime() + delayNanos;
        task = loop.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
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
