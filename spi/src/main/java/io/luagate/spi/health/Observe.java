package io.luagate.spi.health;

/** A server's {@code observe}: which outcomes of its real traffic count as checks (HAProxy's passive checks). */
public enum Observe {
    /** Nothing is observed: the kernel reports no outcome (the default). */
    NONE,
    /** Connections: a failed or timed-out connect is an error. */
    LAYER4,
    /** HTTP responses: a 5xx other than 501 and 505, a broken or timed-out response is an error. */
    LAYER7
}
