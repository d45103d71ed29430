package io.luagate.spi.health;

import io.luagate.spi.extension.Extension;

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
}
