package io.luagate.spi.rule;

/**
 * An action that finishes later (a Lua action that sleeps or waits for a socket): the rule list
 * stops at it, the event loop serves other streams, and the rules go on when the action calls
 * {@link #resume}. Obtained from {@link Transaction#suspend()}; the action then returns
 * {@link Verdict#PENDING}.
 */
public interface Suspension {

    /**
     * Goes on with the rules as if the action had returned {@code verdict} now. Must be called on
     * the stream's event loop, at most once; ignored once the stream has ended.
     */
    void resume(Verdict verdict);

    /**
     * Runs {@code task} on the stream's event loop if the stream ends (the client went away, a
     * timeout struck) before {@link #resume}; the action should then stop its work.
     */
    void onCancel(Runnable task);
}
