package io.luagate.kernel.rule.sample;

import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.Fetch;

/**
 * A fetch that can have several values in one transaction ({@code hdr(x)} without an occurrence,
 * {@code cook(name)}, {@code urlp(name)}). As a sample it gives its usual single value (the last
 * occurrence for headers); an ACL tests every value and matches if any does, as HAProxy does.
 */
public interface MultiValueFetch extends Fetch {

    /** How many values there are now. */
    int count(Transaction txn);

    /** Value {@code index} (0-based, in message order), or {@code null}. */
    Object value(Transaction txn, int index);

    /**
     * Whether any value, in message order, passes {@code test}; absent values are skipped. The
     * default asks {@link #count} and then each {@link #value}; a fetch whose values come from one
     * scan (header lines, cookies) overrides it to scan once, without a list, as an ACL runs it per
     * request.
     */
    default boolean anyValue(Transaction txn, ValueTest test) {
        for (int i = 0, n = count(txn); i < n; i++) {
            Object value = value(txn, i);
            if (value != null && test.test(value)) {
                return true;
            }
        }
        return false;
    }

    /** Tests one value of a multi-valued fetch. */
    @FunctionalInterface
    interface ValueTest {
        boolean test(Object value);
    }
}
