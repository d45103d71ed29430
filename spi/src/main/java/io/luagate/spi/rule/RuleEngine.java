package io.luagate.spi.rule;

import io.luagate.spi.filter.FilterInstance;
import java.util.List;

/**
 * The kernel's rule engine, bound to one stream ({@link io.luagate.spi.stream.Stream#rules()}): it
 * holds the compiled rule lists and filters of the stream's frontend and backend, so that a codec
 * names a list and gets a verdict, without ever holding the lists. Confined to the stream's event
 * loop.
 */
public interface RuleEngine {

    /** Whether {@code list} has no rule (a backend's list, too, before the stream has a backend). */
    boolean isEmpty(RuleList list);

    /**
     * A run of this stream's lists on {@code txn}: the codec keeps it for the exchange (or the
     * side) and forwards {@link Transaction#suspend()} to it.
     */
    RuleRun newRun(Transaction txn, RulePolicy policy, RuleRun.Owner owner);

    /**
     * Runs {@code list} inline to its end, where no action may answer or wait
     * ({@code http-after-response}): ALLOW or STOP end it early.
     *
     * @return {@code false} when an action failed (threw, or tried to wait): the failure is
     *         reported, and the caller fails the message
     */
    boolean runToEnd(RuleList list, Transaction txn);

    /** Whether the proxy on {@code side} declares filters ({@code filter} lines). */
    boolean hasFilters(ProxySide side);

    /**
     * Attaches the filters declared on {@code side} to the stream of {@code txn}, in order, adding
     * the instances to {@code into}; a filter that returns none or fails to set up is skipped for
     * this stream (the others go on).
     */
    void attachFilters(ProxySide side, Transaction txn, List<FilterInstance> into);
}
