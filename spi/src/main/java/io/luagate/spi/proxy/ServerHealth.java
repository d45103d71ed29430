package io.luagate.spi.proxy;

/**
 * A server's operational state (HAProxy's running / stopping / stopped). Its health checks change
 * it ({@code check = true}, {@code observe}), and so do Lua's {@code check_force_up},
 * {@code check_force_nolb}, {@code check_force_down} and maintenance (see {@link Server#setAdmin}).
 */
public enum ServerHealth {
    /** Running. */
    UP,
    /** Running but takes no new traffic (HAProxy's NOLB). */
    NOLB,
    /** Stopped. */
    DOWN
}
