package io.luagate.spi.stream;

/**
 * Fired down a client channel's pipeline (as a user event) when the process starts draining on
 * SIGTERM. A codec closes the connection now if it is idle, or after the response in progress.
 */
public final class DrainEvent {

    public static final DrainEvent INSTANCE = new DrainEvent();

    private DrainEvent() {
    }
}
