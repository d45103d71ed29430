package io.luagate.spi.sample;

import io.luagate.spi.rule.Transaction;

/** A compiled converter ({@code lower}, {@code map(f)}, ...): its arguments are bound at load. */
@FunctionalInterface
public interface Converter {

    /**
     * Converts {@code input} (never {@code null}).
     *
     * @return the result, or {@code null} when the conversion fails (the expression has no sample)
     */
    Object convert(Transaction txn, Object input);
}
