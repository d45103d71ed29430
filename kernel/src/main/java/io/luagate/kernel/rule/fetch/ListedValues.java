package io.luagate.kernel.rule.fetch;

import io.luagate.kernel.rule.sample.MultiValueFetch;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.Fetch;
import java.util.List;
import java.util.function.Function;

/**
 * A multi-valued fetch whose values one function lists ({@code cook(x)}, {@code urlp(x)},
 * {@code res.cook(x)}): its sample is the last value unless it has a fetch of its own, and an ACL
 * walks the list once, or, where the values can be walked where they lie, scans them without it.
 */
final class ListedValues implements MultiValueFetch {

    /** Walks the values in place, in the list's order: true at the first that passes. */
    @FunctionalInterface
    interface Scan {
        boolean any(Transaction txn, ValueTest test);
    }

    private final Function<Transaction, List<String>> all;
    private final Fetch sample;
    private final Scan scan;

    /**
     * @param all    lists the values, in message order
     * @param sample the single value as a sample, or {@code null} for the last listed
     * @param scan   the values walked without the list, or {@code null} to walk the list
     */
    ListedValues(Function<Transaction, List<String>> all, Fetch sample, Scan scan) {
        this.all = all;
        this.sample = sample;
        this.scan = scan;
    }

    @Override
    public Object fetch(Transaction txn) {
        if (sample != null) {
            return sample.fetch(txn);
        }
        List<String> values = all.apply(txn);
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    @Override
    public int count(Transaction txn) {
        return all.apply(txn).size();
    }

    @Override
    public Object value(Transaction txn, int index) {
        List<String> values = all.apply(txn);
        return index < values.size() ? values.get(index) : null;
    }

    @Override
    public boolean anyValue(Transaction txn, ValueTest test) {
        if (scan != null) {
            return scan.any(txn, test);
        }
        // One list for every value, not one per value as count() and value(i) would make.
        List<String> values = all.apply(txn);
        for (int i = 0, n = values.size(); i < n; i++) {
            String value = values.get(i);
            if (value != null && test.test(value)) {
                return true;
            }
        }
        return false;
    }
}
