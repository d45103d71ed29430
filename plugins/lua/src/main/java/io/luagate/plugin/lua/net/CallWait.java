package io.luagate.plugin.lua.net;

import io.luagate.plugin.lua.engine.LuaCall;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.luaj.vm2.LuaError;

/**
 * One Lua call waiting for a connection's events: {@link #await} suspends the call (the loop stays
 * free) until a condition holds, {@link #wake} is called from the channel's events, and an optional
 * inactivity timeout ends the wait. Confined to the connection's loop.
 */
final class CallWait {

    private Runnable waiter;
    private EventLoop waiterLoop;
    private ScheduledFuture<?> timer;
    private long lastActivity;

    /** Something moved on the connection: an inactivity timeout starts again. */
    void touch() {
        lastActivity = System.nanoTime();
    }

    /**
     * Suspends {@code call} until {@code ready} holds; a spurious wake-up only checks again.
     *
     * @param timeoutMillis how long the connection may stay inactive; -1 = no limit
     * @return {@code false} when the timeout passed first
     */
    boolean await(LuaCall call, BooleanSupplier ready, long timeoutMillis) {
        long since = System.nanoTime();
        while (!ready.getAsBoolean()) {
            long left = -1;
            if (timeoutMillis >= 0) {
                left = Math.max(since, lastActivity) + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
            }
            if (waiter != null) {
                throw new LuaError("another Lua call is already waiting on this connection");
            }
            long delay = left;
            Runnable[] mine = new Runnable[1];
            ScheduledFuture<?>[] myTimer = new ScheduledFuture<?>[1];
            try {
                call.suspend(resume -> {
                    mine[0] = resume;
                    waiter = resume;
                    waiterLoop = call.loop();
                    if (delay > 0) {
                        myTimer[0] = waiterLoop.schedule(this::wake, delay, TimeUnit.NANOSECONDS);
                        timer = myTimer[0];
                    }
                });
            } finally {
                // Another call may wait here by now (this one was woken, then queued): leave its state alone.
                if (waiter == mine[0]) {
                    waiter = null;
                }
                if (myTimer[0] != null) {
                    myTimer[0].cancel(false);
                    if (timer == myTimer[0]) {
                        timer = null;
                    }
                }
            }
        }
        return true;
    }

    /** Resumes the waiting call, if any, as a task of its own: never from inside a channel event. */
    void wake() {
        Runnable resume = waiter;
        if (resume != null) {
            waiter = null;
            waiterLoop.execute(resume);
        }
    }
}
