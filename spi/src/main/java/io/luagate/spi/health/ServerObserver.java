package io.luagate.spi.health;

/**
 * Receives the outcomes of the streams of one server with {@code observe} set. Called on the
 * stream's event loop, from every loop at once: an implementation must not block and must be
 * thread-safe; it should do little more than count.
 */
@FunctionalInterface
public interface ServerObserver {

    void observed(ObservedOutcome outcome);
}
