package io.luagate.spi.sample;

import io.luagate.spi.rule.Transaction;

/** A compiled sample fetch ({@code path}, {@code hdr(host)}, ...): its arguments are bound at load. */
@FunctionalInterface
public interface Fetch {

    /** The sample, or {@code null} when there is none. Runs on the stream's event loop; must not block. */
    Object fetch(Transaction txn);
}
