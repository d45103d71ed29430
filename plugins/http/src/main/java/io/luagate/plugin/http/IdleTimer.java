package io.luagate.plugin.http;

import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;

/**
 * An inactivity timeout that is cheap to push back: {@link #touch()} only records a time, and the
 * single scheduled check re-schedules itself for the remainder when it wakes up early. So a busy
 * connection schedules one task per timeout period, not one per read. Confined to one loop.
 */
final class IdleTimer implements Runnable {

    private final EventLoop loop;
    private final Runnable onExpire;
    private long timeoutNanos;
    private long deadline;
    private boolean armed;
    private boolean scheduled;

    IdleTimer(EventLoop loop, Runnable onExpire) {
        this.loop = loop;
        this.onExpire = onExpire;
    }

    /** Arms the timer to expire {@code timeoutMillis} from now unless touched. */
    void start(long timeoutMillis) {
        timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        deadline = System.nanoTime() + timeoutNanos;
        armed = true;
        if (!scheduled) {
            scheduled = true;
            loop.schedule(this, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Pushes the deadline back by a full timeout, if armed. */
    void touch() {
        if (armed) {
            deadline = System.nanoTime() + timeoutNanos;
        }
    }

    void stop() {
        armed = false;
    }

    boolean armed() {
        return armed;
    }

    @Override
    public void run() {
        scheduled = false;
        if (!armed) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            armed = false;
            onExpire.run();
        } else {
            scheduled = true;
            loop.schedule(this, left, TimeUnit.NANOSECONDS);
        }
    }
}
