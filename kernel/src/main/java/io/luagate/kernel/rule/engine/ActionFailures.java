package io.luagate.kernel.rule.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports actions that failed on a request (a rewrite the message could not take). At most one
 * line per second, with the count since the last one: a rule that fails on every request must not
 * turn the diagnostics log into a second access log.
 */
final class ActionFailures {

    private static final Logger LOG = LoggerFactory.getLogger(ActionFailures.class);
    private static final long INTERVAL = TimeUnit.SECONDS.toNanos(1);
    private static final AtomicLong LAST = new AtomicLong(System.nanoTime() - INTERVAL);
    private static final AtomicLong SUPPRESSED = new AtomicLong();

    private ActionFailures() {
    }

    static void report(RuntimeException e) {
        long now = System.nanoTime();
        long last = LAST.get();
        if (now - last >= INTERVAL && LAST.compareAndSet(last, now)) {
            LOG.warn("a rule action failed and was skipped ({} more since the last report): {}",
                    SUPPRESSED.getAndSet(0), e.toString());
        } else {
            SUPPRESSED.incrementAndGet();
        }
    }
}
