package io.luagate.spi.filter;

import io.luagate.spi.rule.Transaction;

/** One declared filter ({@code filter <name> [args]}): makes the instance each stream gets. */
@FunctionalInterface
public interface Filter {

    /**
     * A new instance for the stream of {@code txn}, on that stream's event loop; {@code null}
     * leaves this stream unfiltered by this filter (a failed set-up detaches only this filter).
     */
    FilterInstance attach(Transaction txn);
}
