package io.luagate.spi.extension;

import org.pf4j.ExtensionPoint;

/**
 * A plugin that extends the kernel as a whole rather than one protocol or algorithm: a script
 * engine, an admin API... It may own a top-level section of the configuration, add vocabulary to
 * the rule language, and run for as long as luagate runs.
 *
 * <p>Life cycle: {@link #configure} once, before any rule is compiled (also by {@code luagate
 * check}); {@link #start} once the proxies exist and before the listeners open; {@link #stop} at
 * shutdown, even when {@link #start} was never called.
 */
public interface Extension extends ExtensionPoint {

    /** The top-level configuration key this extension reads (for example {@code lua}), or {@code null}. */
    String configSection();

    /**
     * A resource of this plugin holding the defaults of its section in HOCON (its
     * {@code reference.conf}), or {@code null}. Loaded with the plugin's class loader.
     */
    default String defaultsResource() {
        return null;
    }

    /**
     * Reads the configuration and registers vocabulary. Problems go to
     * {@link ExtensionContext#config()} with their file and line; luagate then refuses to start.
     */
    void configure(ExtensionContext context);

    /** Starts whatever runs in the background; the proxies and event loops exist. */
    void start(ExtensionRuntime runtime);

    /** Stops everything {@link #start} began. Idempotent. */
    void stop();
}
