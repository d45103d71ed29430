package io.luagate.kernel.extension;

import io.luagate.kernel.proxy.Proxies;
import io.luagate.spi.extension.Extension;
import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.extension.ProcessInfo;
import io.luagate.spi.extension.ReloadResult;
import io.luagate.spi.extension.ScriptStats;
import io.luagate.spi.pattern.PatternFiles;
import io.luagate.spi.pool.PoolSettings;
import io.luagate.spi.pool.UpstreamPool;
import io.luagate.spi.pool.UpstreamPoolFactory;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.tls.TlsTerminator;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime of the whole process: what extensions that live for the process
 * ({@link Extension#livesForProcess()}) are given, and what every generation's runtime asks to
 * reload. Its frontends and backends are those of the generation current when asked. It keeps the
 * process-lived extensions and the pools made for them, and stops them when luagate stops.
 */
public final class ProcessRuntime implements ExtensionRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);

    /** How the process reloads: the kernel's side of {@link #reload()}. */
    public interface Reloads {

        long generation();

        ReloadResult reload();

        CompletionStage<ReloadResult> reloadAsync();
    }

    private final List<EventLoop> loops;
    private final Supplier<Proxies> current;
    private final Optional<UpstreamPoolFactory> poolFactory;
    private final Reloads reloads;
    private final ProcessInfo info;
    private final Supplier<ScriptStats> scripts;
    private final Supplier<PatternFiles> patterns;
    private final Supplier<Optional<TlsTerminator>> tls;
    private final PoolList pools = new PoolList();
    private final List<Extension> extensions = new ArrayList<>();

    public ProcessRuntime(List<EventLoop> loops, Supplier<Proxies> current, Optional<UpstreamPoolFactory> poolFactory,
                          ProcessInfo info, Supplier<ScriptStats> scripts, Supplier<PatternFiles> patterns,
                          Supplier<Optional<TlsTerminator>> tls, Reloads reloads) {
        this.tls = tls;
        this.loops = List.copyOf(loops);
        this.current = current;
        this.poolFactory = poolFactory;
        this.reloads = reloads;
        this.info = info;
        this.scripts = scripts;
        this.patterns = patterns;
    }

    @Override
    public List<EventLoop> eventLoops() {
        return loops;
    }

    @Override
    public Map<String, Frontend> frontends() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(current.get().frontends()));
    }

    @Override
    public Map<String, Backend> backends() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(current.get().backends()));
    }

    @Override
    public long generation() {
        return reloads.generation();
    }

    @Override
    public ReloadResult reload() {
        return reloads.reload();
    }

    @Override
    public CompletionStage<ReloadResult> reloadAsync() {
        return reloads.reloadAsync();
    }

    @Override
    public ProcessInfo process() {
        return info;
    }

    /** The current generation's script figures: a process-lived extension sees those of the newest Lua states. */
    @Override
    public ScriptStats scriptStats() {
        return scripts.get();
    }

    /** The current generation's map and ACL files. */
    @Override
    public PatternFiles patterns() {
        return patterns.get();
    }

    @Override
    public Optional<UpstreamPool> newUpstreamPool(EventLoop loop, PoolSettings settings) {
        return newPool(loop, settings, pools);
    }

    /** The current generation's TLS plugin: its binds are those serving now. */
    @Override
    public Optional<TlsTerminator> tls() {
        return tls.get();
    }

    /** A pool for {@code loop} made by the pool plugin, remembered in {@code into} to be closed with its owner. */
    Optional<UpstreamPool> newPool(EventLoop loop, PoolSettings settings, PoolList into) {
        if (!loops.contains(loop)) {
            throw new IllegalArgumentException("not one of luagate's event loops: " + loop);
        }
        return poolFactory.map(factory -> into.add(loop, factory.create(loop, settings)));
    }

    /** Starts {@code extension} for the process: it is stopped by {@link #close()}. */
    void adopt(Extension extension) {
        synchronized (extensions) {
            extensions.add(extension);
        }
        extension.start(this);
    }

    /** Stops the process-lived extensions, last first, then closes their pools. */
    public void close() {
        List<Extension> started;
        synchronized (extensions) {
            started = List.copyOf(extensions);
            extensions.clear();
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping {} failed", started.get(i).getClass().getName(), e);
            }
        }
        pools.close();
    }

    /** Pools made for extensions, closed on their own loops. */
    static final class PoolList {

        private final List<Map.Entry<EventLoop, UpstreamPool>> pools = new ArrayList<>();

        synchronized UpstreamPool add(EventLoop loop, UpstreamPool pool) {
            pools.add(Map.entry(loop, pool));
            return pool;
        }

        void close() {
            List<Map.Entry<EventLoop, UpstreamPool>> made;
            synchronized (this) {
                made = List.copyOf(pools);
                pools.clear();
            }
            for (Map.Entry<EventLoop, UpstreamPool> pool : made) {
                // A pool is confined to its loop: it is closed there.
                try {
                    pool.getKey().execute(pool.getValue()::close);
                } catch (RejectedExecutionException e) {
                    // The loop already stopped, and its connections with it.
                }
            }
        }
    }
}
