package io.luagate.spi.health;

/**
 * How a stream fared on a server, as the kernel tells a server's {@link ServerObserver} when the
 * server has {@code observe} set (HAProxy's health analyzer statuses). {@link Observe#LAYER4}
 * counts the first two, {@link Observe#LAYER7} the layer-7 ones and the connect failures.
 */
public enum ObservedOutcome {
    /** The connection was made. */
    L4_OK(true, false),
    /** The connect failed or timed out. */
    L4_ERROR(false, false),
    /** A complete response with a status that is not an error. */
    HTTP_OK(true, true),
    /** A 5xx response other than 501 and 505. */
    HTTP_STATUS(false, true),
    /** A response that was not valid HTTP, or that the server broke off. */
    HTTP_BROKEN(false, true),
    /** No response within {@code timeout.server}. */
    HTTP_TIMEOUT(false, true);

    private final boolean ok;
    private final boolean layer7;

    ObservedOutcome(boolean ok, boolean layer7) {
        this.ok = ok;
        this.layer7 = layer7;
    }

    public boolean ok() {
        return ok;
    }

    /** Whether it says something about HTTP (counted by {@link Observe#LAYER7} only). */
    public boolean layer7() {
        return layer7;
    }
}
