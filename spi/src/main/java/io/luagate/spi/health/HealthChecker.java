package io.luagate.spi.health;

import io.luagate.spi.extension.Extension;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Server;

/**
 * The extension that runs the checks of servers written {@code check = true} and watches the
 * traffic of those written {@code observe}: it reads each server's {@link
 * io.luagate.spi.proxy.Server#checkSettings()} when started, publishes what it finds with
 * {@link io.luagate.spi.proxy.Server#reportCheck} and listens through {@link
 * io.luagate.spi.proxy.Server#observeWith}. Without one installed, a configuration that needs it
 * refuses to start and names it.
 */
public interface HealthChecker extends Extension {

    /** The plugin's name in messages. */
    String NAME = "health-check";

    /**
     * {@code server} joined {@code backend} at run time ({@link Backend#addServer}) after this
     * checker started: check and observe it as its settings ask, as a configured server. Called
     * once, on the thread that added it (never an event loop's work to wait for), by the kernel
     * of the generation that owns {@code backend}.
     */
    default void serverAdded(Backend backend, Server server) {
    }

    /** {@code server} left {@code backend} at run time ({@link Backend#removeServer}): stop checking it. */
    default void serverRemoved(Backend backend, Server server) {
    }
}
