package io.luagate.spi.proxy;

/**
 * HAProxy's {@code http-reuse} policies: when a request may be sent over an idle upstream
 * connection that another request used before.
 */
public enum HttpReuse {
    /** Upstream connections stay private to their client connection and close with it. */
    NEVER,
    /**
     * The first request of a client connection always gets a brand-new upstream connection (so a
     * browser can retry it safely); later requests may use any idle connection to the same destination.
     */
    SAFE,
    /** Like SAFE, but a first request may use idle connections that already served two requests. */
    AGGRESSIVE,
    /** Any request may use any idle connection to the same destination. */
    ALWAYS
}
