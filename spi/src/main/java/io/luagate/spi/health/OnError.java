package io.luagate.spi.health;

/** What {@code error-limit} consecutive observed errors do ({@code on-error}, HAProxy's keyword). */
public enum OnError {
    /** Check at {@code fastinter} until a check passes (the default). */
    FASTINTER,
    /** Count one failed check, then as {@link #FASTINTER}. */
    FAIL_CHECK,
    /** Leave one failed check before DOWN, then as {@link #FASTINTER}. */
    SUDDEN_DEATH,
    /** Mark the server DOWN at once, then as {@link #FASTINTER}. */
    MARK_DOWN
}
