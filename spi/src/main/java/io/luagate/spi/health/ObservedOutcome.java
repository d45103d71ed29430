package io.luagate.spi.health;

/**
 * How a stream fared on a server, as the kernel tells a server's {@link ServerObserver} when the
 * server has {@code observe} set (HAProxy's health analyzer statuses). {@link Observe#LAYER4}
 * counts the first two, {@link Observe#LAYER7} the layer-7 ones and the connect failures.
 */
public enum ObservedOutcome {
    /** The connection was made. */
    L4_OK(true, false, "L4 successful connection"),
    /** The connect failed or timed out. */
    L4_ERROR(false, false, "L4 unsuccessful connection"),
    /** A response with a status that is not an error. */
    HTTP_OK(true, true, "Correct http response"),
    /** A 5xx response other than 501 and 505. */
    HTTP_STATUS(false, true, "Wrong http response"),
    /** The server closed or reset the connection before the response was complete. */
    HTTP_BROKEN(false, true, "Close from server (http)"),
    /** No response within {@code timeout.server}. */
    HTTP_TIMEOUT(false, true, "Read timeout (http)");

    private final boolean ok;
    private final boolean layer7;
    private final String description;

    ObservedOutcome(boolean ok, boolean layer7, String description) {
        this.ok = ok;
        this.layer7 = layer7;
        this.description = description;
    }

    /** HAProxy's description, in the reason of a transition it causes. */
    public String description() {
        return description;
    }

    public boolean ok() {
        return ok;
    }

    /** Whether it says something about HTTP (counted by {@link Observe#LAYER7} only). */
    public boolean layer7() {
        return layer7;
    }
}
