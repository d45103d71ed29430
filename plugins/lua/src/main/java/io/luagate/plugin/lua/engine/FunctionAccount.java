package io.luagate.plugin.lua.engine;

import io.luagate.spi.extension.ScriptFunctionStats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The counters of one registered function in one state ({@link ScriptAccounts}). Only the thread
 * running the state's calls writes them (a per-thread state's loop, or whoever holds the shared
 * state's lock), so they take no lock and no atomic instruction; a scrape reads them from another
 * thread at any time. Opaque access keeps each value whole and lets the reader see it soon, at the
 * price of plain loads and stores on x86 and ARM.
 */
public final class FunctionAccount {

    private static final VarHandle CALLS;
    private static final VarHandle ERRORS;
    private static final VarHandle TIMEOUTS;
    private static final VarHandle RUN_NANOS;
    private static final VarHandle SAMPLED_CALLS;
    private static final VarHandle SAMPLED_BYTES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CALLS = lookup.findVarHandle(FunctionAccount.class, "calls", long.class);
            ERRORS = lookup.findVarHandle(FunctionAccount.class, "errors", long.class);
            TIMEOUTS = lookup.findVarHandle(FunctionAccount.class, "timeouts", long.class);
            RUN_NANOS = lookup.findVarHandle(FunctionAccount.class, "runNanos", long.class);
            SAMPLED_CALLS = lookup.findVarHandle(FunctionAccount.class, "sampledCalls", long.class);
            SAMPLED_BYTES = lookup.findVarHandle(FunctionAccount.class, "sampledBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long calls;
    private long errors;
    private long timeouts;
    private long runNanos;
    private long sampledCalls;
    private long sampledBytes;
    /** Calls left before the next one whose allocation is counted; 0 counts the very first. */
    private int countdown;

    /**
     * A call starts. Returns whether its allocation is to be counted: one call in
     * {@link ScriptFunctionStats#ALLOCATION_SAMPLE} among those that can be ({@code countable}),
     * since reading the thread's allocation counter twice costs as much as a small call.
     */
    boolean started(boolean countable) {
        add(CALLS, 1);
        if (!countable || --countdown > 0) {
            return false;
        }
        countdown = ScriptFunctionStats.ALLOCATION_SAMPLE;
        return true;
    }

    /** A slice of a call ran for {@code nanos}. */
    void ran(long nanos) {
        add(RUN_NANOS, nanos);
    }

    /** A call ended in an error: a timeout, or anything else. */
    void failed(boolean timeout) {
        add(timeout ? TIMEOUTS : ERRORS, 1);
    }

    /** A sampled call ended, having allocated {@code bytes} over all its slices. */
    void sampled(long bytes) {
        add(SAMPLED_CALLS, 1);
        add(SAMPLED_BYTES, bytes);
    }

    private void add(VarHandle field, long delta) {
        field.setOpaque(this, (long) field.getOpaque(this) + delta);
    }

    long calls() {
        return (long) CALLS.getOpaque(this);
    }

    long errors() {
        return (long) ERRORS.getOpaque(this);
    }

    long timeouts() {
        return (long) TIMEOUTS.getOpaque(this);
    }

    long runNanos() {
        return (long) RUN_NANOS.getOpaque(this);
    }

    long sampledCalls() {
        return (long) SAMPLED_CALLS.getOpaque(this);
    }

    long sampledBytes() {
        return (long) SAMPLED_BYTES.getOpaque(this);
    }
}
