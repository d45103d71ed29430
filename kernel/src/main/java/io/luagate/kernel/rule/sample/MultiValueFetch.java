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
}
