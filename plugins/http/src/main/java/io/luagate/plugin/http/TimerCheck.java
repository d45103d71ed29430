package io.luagate.plugin.http;

/**
 * What wakes {@link IdleTimer}s: a timer that wants to be looked at joins its check at (or after)
 * {@link IdleTimer#checkAt}, and the check runs it then, once, having taken it out. An HTTP/1.1
 * connection's timers join their loop's {@link LoopTimers}; an HTTP/2 stream's, its connection's
 * {@link TimerGroup}. Confined to one event loop.
 */
interface TimerCheck {

    /** {@code timer} (not queued here) wants to be run at its {@code checkAt} ({@link TimerClock} milliseconds). */
    void add(IdleTimer timer);

    /** Takes {@code timer} out, if it is queued here. */
    void remove(IdleTimer timer);
}
