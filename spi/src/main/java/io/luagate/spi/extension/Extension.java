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
 *
 * <p>Generations: by default an extension lives for one generation of the configuration. Each
 * reload makes a new instance of it, configures and starts it for the new generation, and stops
 * the old instance once the last stream of the old generation is over (a script engine's states
 * are thus rebuilt, and its init functions run again). An extension that serves on sockets of its
 * own (a runtime or admin API) answers {@code true} to {@link #livesForProcess()} instead: it is
 * made, configured and started once, with the first generation, keeps running across reloads
 * (its answer to a reload it asked for still reaches its caller), is stopped when luagate stops,
 * and sees the current generation through its {@link ExtensionRuntime}, and through the
 * {@link ExtensionContext#patterns()} it was configured with, which follows the current
 * generation's map and ACL files (what it {@code @Inject}s is the first generation's). Its section
 * cannot change by a reload (a reload that changes it is refused), and the vocabulary it registers
 * is the first generation's only, so it should register none.
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

    /**
     * Whether this extension lives for the whole process rather than for one generation of the
     * configuration (see the class comment). Read once, after the extension is made.
     */
    default boolean livesForProcess() {
        return false;
    }

    /** Starts whatever runs in the background; the proxies and event loops exist. */
    void start(ExtensionRuntime runtime);

    /** Stops everything {@link #start} began. Idempotent. */
    void stop();
}
