package io.luagate.spi.rule;

/**
 * How a codec's rule lists treat what differs between HTTP and content rules; the engine's
 * call, suspend and resume logic is the same for all.
 *
 * @param waitDecides            whether {@link Verdict#WAIT} stops the list (content rules wait for
 *                               more data); otherwise it means "not matched" and the next rule runs
 * @param failuresPropagate      whether an action's exception reaches the caller of
 *                               {@link RuleRun#run} (after its suspension, if any, is settled);
 *                               otherwise it is reported and the list goes on as after CONTINUE
 * @param suspensionTimeoutMillis how long a suspended action may take before it is cancelled and
 *                               {@link RuleRun.Owner#suspensionTimedOut()} is told; 0: no limit
 *                               of the engine's own (the stream's timers end it)
 */
public record RulePolicy(boolean waitDecides, boolean failuresPropagate, long suspensionTimeoutMillis) {

    /**
     * HTTP lists ({@code http-request}, {@code http-response}): they run once on a complete head,
     * so WAIT is "not matched"; a rewrite the message cannot take is skipped, as HAProxy skips a
     * failed rewrite.
     */
    public static final RulePolicy HTTP = new RulePolicy(false, false, 0);

    public RulePolicy {
        if (suspensionTimeoutMillis < 0) {
            throw new IllegalArgumentException("suspensionTimeoutMillis < 0");
        }
    }

    /**
     * Content lists ({@code tcp-request content}, {@code tcp-response content}): WAIT holds the
     * decision until more data, an action's exception ends the connection, and a suspended action
     * may take {@code suspensionTimeoutMillis} (the side's inactivity timeout; 0: no limit).
     */
    public static RulePolicy content(long suspensionTimeoutMillis) {
        return new RulePolicy(true, true, suspensionTimeoutMillis);
    }
}
