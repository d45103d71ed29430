package io.luagate.spi.proxy;

/**
 * A server's administrative state, set by an operator (HAProxy's {@code set server ... state},
 * Lua's {@code set_ready}, {@code set_drain}, {@code set_maint}); the configuration's
 * {@code disabled} starts a server in {@link #MAINT}.
 */
public enum ServerAdmin {
    /** Takes new traffic (when its health allows it). */
    READY,
    /** Takes no new traffic; the streams it serves go on to their end. */
    DRAIN,
    /** In maintenance: takes no new traffic and counts as down; the streams it serves go on. */
    MAINT
}
