package io.luagate.plugin.http;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports actions that failed on a request (a rewrite the message could not take), proxy
 * replies that could not be written (a header value the encoder refuses) and client connections
 * closed by a failure that is no I/O error (a fault of luagate's, with its stack). At most one
 * line per second, with the count since the last one: a rule that fails on every request must not
 * turn the diagnostics log into a second access log.
 */
final class RuleFailures {

    private static final Logger LOG = LoggerFactory.getLogger(RuleFailures.class);
    private static final long INTERVAL = TimeUnit.SECONDS.toNanos(1);
    private static final AtomicLong LAST = new AtomicLong(System.nanoTime() - INTERVAL);
    private static final AtomicLong SUPPRESSED = new AtomicLong();

    private RuleFailures() {
    }

    static void report(RuntimeException e) {
        report("a rule action failed and was skipped", e, false);
    }

    /** A proxy reply (return, deny, an error page, a Lua reply) that could not be encoded: a 500 went instead. */
    static void reportReply(RuntimeException e) {
        report("a proxy reply could not be written and a 500 was sent instead", e, false);
    }

    /** A client connection closed after an unexpected failure: reported with its stack, as a bug is. */
    static void reportConnection(Throwable cause) {
        report("a client connection was closed after an unexpected failure", cause, true);
    }

    private static void report(String what, Throwable e, boolean withStack) {
        long now = System.nanoTime();
        long last = LAST.get();
        if (now - last >= INTERVAL && LAST.compareAndSet(last, now)) {
            if (withStack) {
                LOG.warn("{} ({} more failures since the last report)", what, SUPPRESSED.getAndSet(0), e);
            } else {
                LOG.warn("{} ({} more failures since the last report): {}", what, SUPPRESSED.getAndSet(0), e.toString());
            }
        } else {
            SUPPRESSED.incrementAndGet();
        }
    }
}
