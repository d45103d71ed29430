package io.luagate.spi.extension;

import io.luagate.spi.pattern.PatternFiles;
import io.luagate.spi.pool.PoolSettings;
import io.luagate.spi.pool.UpstreamKey;
import io.luagate.spi.pool.UpstreamPool;
import io.luagate.spi.pool.UpstreamPoolFactory;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.tls.TlsTerminator;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What an {@link Extension} receives when it starts.
 *
 * <p>luagate runs in generations: each reload ({@link #reload()}) builds a new set of frontends,
 * backends and extensions from the configuration file, and the new generation takes every new
 * stream while streams in flight finish on the one they started on. An extension that lives for
 * one generation ({@link Extension#livesForProcess()} false, the default) is given a runtime whose
 * {@link #frontends()} and {@link #backends()} are those of its own generation; an extension that
 * lives for the process is given one whose maps are those of the generation current when called.
 */
public interface ExtensionRuntime {

    /** The event loops, in order: loop {@code i} is thread number {@code i + 1}. */
    List<EventLoop> eventLoops();

    /**
     * The frontends by name, in configuration order: those of the extension's generation, or of
     * the current one for an extension that lives for the process.
     */
    Map<String, Frontend> frontends();

    /** The backends by name, in configuration order; which generation's as for {@link #frontends()}. */
    Map<String, Backend> backends();

    /** The number of the generation serving new streams now: 1 at start, one more per successful reload. */
    long generation();

    /**
     * Reloads the configuration file luagate was started with, and the scripts it loads: checks
     * everything first (as {@code luagate check} and a start do), and on any problem changes
     * nothing and says why; else a new generation takes every new stream. Reloads are serialised.
     * Blocks until done, so it must not be called on one of {@link #eventLoops()} (it throws
     * {@link IllegalStateException} there): an extension serving on those loops uses
     * {@link #reloadAsync()}. The answer reaches an extension that lives for the process even when
     * the reload it asked for replaced every other extension.
     */
    ReloadResult reload();

    /** {@link #reload()} without waiting: the result completes on luagate's reload thread. */
    CompletionStage<ReloadResult> reloadAsync();

    /**
     * A new pool of idle upstream connections for connections an extension opens itself (the Lua
     * HTTP client, for one), made by the configured {@link UpstreamPoolFactory} as the backends'
     * pools are. The pool is confined to {@code loop}, like every pool: call it only there, and
     * offer it only connections registered on that loop. The extension puts a partition of its own
     * (for example {@code "lua.httpclient"}) in every {@link UpstreamKey} it uses, so that its
     * connections are never handed to a backend and a backend's never to it. luagate closes the
     * pool, with its idle connections, when it stops.
     *
     * @param loop     one of {@link #eventLoops()}
     * @param settings how many idle connections to keep per destination, and for how long
     * @return the pool, or empty when no pool plugin is installed (the extension then closes its
     *         connections after use)
     * @throws IllegalArgumentException if {@code loop} is not one of luagate's event loops
     */
    Optional<UpstreamPool> newUpstreamPool(EventLoop loop, PoolSettings settings);

    /**
     * The process as a whole (pid, version, uptime, threads, {@code maxconn}, connections and
     * requests now and since start): what HAProxy's {@code show info} reports. The same live
     * instance for the life of the process, across reloads. The kernel's runtime always has it; a
     * runtime made by a test may not, and then throws.
     *
     * @throws UnsupportedOperationException from a runtime that describes no process
     */
    default ProcessInfo process() {
        throw new UnsupportedOperationException("this runtime describes no process");
    }

    /**
     * The map and ACL files of the generation serving new streams now (each generation reads its
     * files anew): where an extension that lives for the process (a runtime API) reads and changes
     * them, rather than through the {@link ExtensionContext#patterns()} of the first generation.
     *
     * @throws UnsupportedOperationException from a runtime made by a test that has none
     */
    default PatternFiles patterns() {
        throw new UnsupportedOperationException("this runtime has no map or ACL files");
    }

    /**
     * What the script engines report about their registered functions and their shared state's
     * lock ({@link ScriptStatsSource}); {@link ScriptStats#EMPTY} when no extension runs scripts.
     */
    default ScriptStats scriptStats() {
        return ScriptStats.EMPTY;
    }

    /**
     * The installed TLS plugin, or empty when there is none: for an extension that acts on TLS as a
     * whole (an admin API reloading the binds' certificates).
     */
    default Optional<TlsTerminator> tls() {
        return Optional.empty();
    }
}
