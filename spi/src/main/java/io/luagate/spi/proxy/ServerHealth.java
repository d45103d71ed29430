package io.luagate.spi.proxy;

/**
 * A server's operational state (HAProxy's running / stopping / stopped). luagate runs no health
 * checks, so it changes only when forced (Lua's {@code check_force_up}, {@code check_force_nolb},
 * {@code check_force_down}) or when the server leaves maintenance, which brings it back up.
 */
public enum ServerHealth {
    /** Running. */
    UP,
    /** Running but takes no new traffic (HAProxy's NOLB). */
    NOLB,
    /** Stopped. */
    DOWN
}
