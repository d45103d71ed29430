package io.luagate.spi.rule;

/**
 * One transaction's evaluation of rule lists by the kernel's {@link RuleEngine}, made once per
 * HTTP exchange or per content-rule side and used for every list it runs. It calls each action,
 * lets it suspend ({@link #suspend()}) and goes on from the next rule when it resumes, exactly as
 * if the action had returned then; how the list ended is told to its {@link Owner}.
 *
 * <p>Confined to the stream's event loop.
 */
public interface RuleRun {

    /** The codec's side of a run: how a list ended, and the codec's own state the rules stop on. */
    interface Owner {

        /**
         * {@code list} came to {@code verdict}: CONTINUE (it ran to its end, no rule decided),
         * ALLOW (an action let the message through), STOP (an action stopped it, or
         * {@link #halted()} held after an action), WAIT (a rule needs more data; only where the
         * policy says {@link RulePolicy#waitDecides()}), or PENDING (an action is suspended: the
         * next call comes when it resumes, times out, or never, when the run is cancelled).
         */
        void concluded(RuleList list, Verdict verdict);

        /**
         * Whether the rules must not go on: the stream was answered, handed to a service, or
         * ended. Asked after each action that did not suspend, and when one resumes: the list
         * then concludes STOP.
         */
        boolean halted();

        /** Whether a resume still matters; one that comes when it does not is dropped without a word. */
        default boolean alive() {
            return true;
        }

        /** A suspended action did not resume within {@link RulePolicy#suspensionTimeoutMillis()}; it was cancelled. */
        default void suspensionTimedOut() {
        }
    }

    /**
     * Runs {@code list} from its first rule. {@code last}: the data the rules read will not grow any
     * more (it stops {@link #markMayChange()} from counting). While an action is suspended nothing
     * runs; only {@code last} is remembered for the run the resume goes on with.
     */
    void run(RuleList list, boolean last);

    /**
     * {@link Transaction#suspend()}: lets the action being called finish later.
     *
     * @throws IllegalStateException when no action of this run is being called, or it asked already
     */
    Suspension suspend();

    /** Whether an action holds the rules suspended now. */
    boolean suspended();

    /** Whether the run under way (or the one a suspended action will go on with) is the last. */
    boolean inLastEvaluation();

    /** {@link Transaction#markMayChange()}: counted unless this is the last evaluation. */
    void markMayChange();

    /** {@link Transaction#mayChangeMarks()}. */
    int mayChangeMarks();

    /**
     * The action answered by itself (a reply, a service) while it was being called or suspended: a
     * later resume is ignored and there is nothing to cancel.
     */
    void settle();

    /** The stream ended: a suspended action is cancelled (its cancel tasks run) and never resumes. */
    void cancel();
}
