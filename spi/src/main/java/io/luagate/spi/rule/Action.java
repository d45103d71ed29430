package io.luagate.spi.rule;

/**
 * A compiled rule action ({@code return}, {@code deny}, ...). Compiled once at load, executed
 * per request on the stream's event loop; it must not block.
 */
@FunctionalInterface
public interface Action {

    /** Runs the action on {@code txn}. */
    Verdict execute(Transaction txn);
}
