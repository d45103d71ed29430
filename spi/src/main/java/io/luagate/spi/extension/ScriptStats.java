package io.luagate.spi.extension;

import java.util.List;

/**
 * What the script engines report about their scripts (for the stats page, the admin API and
 * Prometheus): the figures of every registered function, and how long calls waited for the lock
 * of a shared state ({@code lua.load}: one state that every event loop takes in turn).
 *
 * @param functions        one entry per registered function, in registration order
 * @param lockWaits        calls that found the shared state's lock taken and waited for it
 * @param lockWaitNanos    the time those calls waited, in total
 * @param maxLockWaitNanos the longest of those waits
 */
public record ScriptStats(List<ScriptFunctionStats> functions, long lockWaits, long lockWaitNanos, long maxLockWaitNanos) {

    /** No script engine, or nothing registered. */
    public static final ScriptStats EMPTY = new ScriptStats(List.of(), 0, 0, 0);

    public ScriptStats {
        functions = List.copyOf(functions);
    }

    /** Both reports in one: the functions of each, the lock waits added up (the longest of the two longest). */
    public ScriptStats plus(ScriptStats other) {
        List<ScriptFunctionStats> all = new java.util.ArrayList<>(functions);
        all.addAll(other.functions);
        return new ScriptStats(all, lockWaits + other.lockWaits, lockWaitNanos + other.lockWaitNanos,
                Math.max(maxLockWaitNanos, other.maxLockWaitNanos));
    }
}
