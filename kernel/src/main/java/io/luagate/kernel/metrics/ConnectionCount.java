package io.luagate.kernel.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * The client connections a frontend accepted, counted without Micrometer: the meter that exports
 * it is registered only when something reads the metrics ({@link Metrics}), so a process without a
 * metrics endpoint never loads the registry's classes. One per frontend name for the process, so
 * that a reload's new generation counts on.
 */
public final class ConnectionCount {

    private final LongAdder accepted = new LongAdder();

    public void increment() {
        accepted.increment();
    }

    public long count() {
        return accepted.sum();
    }
}
