package io.luagate.plugin.lua.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * How long calls waited for the shared state's lock ({@code lua.load}). Only a call that finds the
 * lock taken is timed, so an uncontended lock costs nothing more; the figures are written by the
 * thread that just took the lock (one at a time) and read by a scrape at any time.
 */
final class LockWaits {

    private static final VarHandle WAITS;
    private static final VarHandle NANOS;
    private static final VarHandle MAX_NANOS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            WAITS = lookup.findVarHandle(LockWaits.class, "waits", long.class);
            NANOS = lookup.findVarHandle(LockWaits.class, "nanos", long.class);
            MAX_NANOS = lookup.findVarHandle(LockWaits.class, "maxNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long waits;
    private long nanos;
    private long maxNanos;

    /** A call waited {@code waited} nanoseconds and holds the lock now. */
    void waited(long waited) {
        WAITS.setOpaque(this, (long) WAITS.getOpaque(this) + 1);
        NANOS.setOpaque(this, (long) NANOS.getOpaque(this) + waited);
        if (waited > (long) MAX_NANOS.getOpaque(this)) {
            MAX_NANOS.setOpaque(this, waited);
        }
    }

    long waits() {
        return (long) WAITS.getOpaque(this);
    }

    long nanos() {
        return (long) NANOS.getOpaque(this);
    }

    long maxNanos() {
        return (long) MAX_NANOS.getOpaque(this);
    }
}
