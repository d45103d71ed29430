package io.luagate.kernel;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.luagate.kernel.config.ConfigLoader;
import io.luagate.kernel.config.ConfigProblem;
import io.luagate.kernel.config.InvalidConfigException;
import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Settings;
import io.luagate.kernel.extension.Extensions;
import io.luagate.kernel.extension.KernelProcessInfo;
import io.luagate.kernel.extension.ProcessRuntime;
import io.luagate.kernel.log.AccessLog;
import io.luagate.kernel.metrics.Metrics;
import io.luagate.kernel.net.BoundListener;
import io.luagate.kernel.net.ConnectionLimiter;
import io.luagate.kernel.net.EventLoops;
import io.luagate.kernel.net.Listeners;
import io.luagate.kernel.plugin.PluginInventory;
import io.luagate.kernel.plugin.PluginProblem;
import io.luagate.kernel.plugin.Plugins;
import io.luagate.kernel.proxy.DefaultFrontend;
import io.luagate.kernel.proxy.Proxies;
import io.luagate.kernel.proxy.ProxyBuilder;
import io.luagate.kernel.stream.Acceptor;
import io.luagate.kernel.stream.DefaultSession;
import io.luagate.kernel.stream.Kernel;
import io.luagate.kernel.stream.LoopContext;
import io.luagate.spi.extension.ReloadResult;
import io.luagate.spi.health.HealthChecker;
import io.luagate.spi.stream.DrainEvent;
import io.luagate.spi.tls.TlsTerminator;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running luagate: plugins loaded, event loops started, and the current {@link Generation} of
 * the configuration listening. {@link #reload} replaces the generation without dropping a
 * connection; {@link #drain} is the SIGTERM path; {@link #close} stops at once.
 *
 * <p>What lives for the process, whatever the reloads: the event loops, the connection limit,
 * the access log, the meters (counters of a name that stays go on), the loaded plugins (jars are
 * not loaded again), the variables of scope proc, the extensions that say they live for the
 * process, and every listening socket whose bind a reload keeps.
 */
public final class Luagate implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Luagate.class);

    private final Path home;
    /** The file reloads read; {@code null} when started from settings alone (then only {@link #reload(Settings)} reloads). */
    private final Path file;
    private final Plugins plugins;
    private final EventLoops loops;
    private final AccessLog accessLog;
    private final ConnectionLimiter limiter;
    private final Metrics metrics;
    private final Listeners listeners;
    private final LoopContext[] contexts;
    private final Kernel kernel;
    private final KernelModule.Process process;
    private final ProcessRuntime runtime;
    /** The sections of the extensions that live for the process, as read at start: a reload may not change them. */
    private final Map<String, Extensions.Inherited> processSections;
    /** Reloads run here, one at a time, never on an event loop. */
    private final ExecutorService reloads;
    /** Held while a generation is built or switched, and while luagate closes. */
    private final Object switching = new Object();
    private volatile Generation current;
    /** The generations not yet retired: the current one and those still serving connections. */
    private final Set<Generation> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong retired = new AtomicLong();
    private volatile Map<String, List<InetSocketAddress>> addresses = Map.of();
    private volatile boolean draining;
    private boolean closed;
    /** The thread reloads run on: a blocking reload asked from it would wait for itself. */
    private volatile Thread reloadThread;

    private Luagate(Injector injector, Path home, Path file) {
        this.home = home;
        this.file = file;
        Settings settings = injector.getInstance(Settings.class);
        this.plugins = injector.getInstance(Plugins.class);
        Extensions extensions = injector.getInstance(Extensions.class);
        extensions.currentPatterns(() -> current == null ? null : current.extensions().patterns());
        Problems problems = configure(injector, false);
        if (!problems.isEmpty()) {
            extensions.stop();
            plugins.close();
            problems.throwIfAny();
        }
        ProxyBuilder builder = injector.getInstance(ProxyBuilder.class);
        this.loops = injector.getInstance(EventLoops.class);
        this.accessLog = injector.getInstance(AccessLog.class);
        this.limiter = injector.getInstance(ConnectionLimiter.class);
        this.metrics = injector.getInstance(Metrics.class);
        this.listeners = new Listeners(loops, limiter);
        this.contexts = new LoopContext[loops.size()];
        List<EventLoop> eventLoops = new ArrayList<>();
        for (int i = 0; i < contexts.length; i++) {
            contexts[i] = new LoopContext(i, loops.loop(i + 1));
            eventLoops.add(loops.loop(i + 1));
        }
        this.kernel = new Kernel(accessLog, limiter, () -> draining, new ConcurrentHashMap<>());
        this.process = new KernelModule.Process(plugins, loops, limiter, accessLog, metrics);
        this.reloads = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "luagate-reload");
            thread.setDaemon(true);
            reloadThread = thread;
            return thread;
        });
        KernelProcessInfo info = new KernelProcessInfo(loops.size(), settings.global().maxconn(),
                () -> current.proxies().frontends(), () -> draining);
        this.runtime = new ProcessRuntime(eventLoops, () -> current.proxies(), plugins.pool(), info,
                () -> current.extensions().scriptStats(),
                () -> current.extensions().tls(), new ProcessRuntime.Reloads() {
            @Override
            public long generation() {
                return Luagate.this.generation();
            }

            @Override
            public ReloadResult reload() {
                return Luagate.this.reload();
            }

            @Override
            public CompletionStage<ReloadResult> reloadAsync() {
                return Luagate.this.reloadAsync();
            }
        });
        Proxies proxies = builder.build(loops, server -> forEachSession(session -> session.shutIfServedBy(server)));
        metrics.process(limiter::open, accessLog::dropped);
        this.processSections = extensions.processSections();
        Generation first = new Generation(1, settings, extensions, proxies);
        first.serve();
        this.current = first;
        live.add(first);
        extensions.start(loops, proxies, runtime);
        proxies.backends().values().forEach(backend -> backend.checkedBy(extensions.healthCheckers()));
        metrics.scripts(() -> current.extensions().scriptStats());
    }

    /** Configures the extensions (which add vocabulary), then checks the proxies and their rules. */
    private static Problems configure(Injector injector, boolean checkOnly) {
        Problems problems = new Problems();
        // Every stage runs, whatever the one before found: one run reports every problem.
        Plugins plugins = injector.getInstance(Plugins.class);
        for (PluginProblem problem : plugins.problems()) {
            problems.add(new ConfigProblem(problem.where(), "", problem.message()));
        }
        injector.getInstance(Extensions.class).configure(checkOnly, problems);
        for (var problem : injector.getInstance(ProxyBuilder.class).validate().list()) {
            problems.add(problem);
        }
        return problems;
    }

    /**
     * Starts luagate on {@code settings}; {@link #reload()} then has no file to read (a test's
     * luagate reloads with {@link #reload(Settings)}).
     *
     * @throws InvalidConfigException when a feature has no plugin or a rule is bad
     */
    public static Luagate start(Settings settings, Path home) {
        return start(settings, home, null);
    }

    /**
     * Starts luagate on {@code settings}, read from {@code file}: what {@link #reload()} reads again.
     *
     * @throws InvalidConfigException when a feature has no plugin or a rule is bad
     */
    public static Luagate start(Settings settings, Path home, Path file) {
        Injector injector = Guice.createInjector(Stage.PRODUCTION, new KernelModule(settings, home));
        Luagate luagate = new Luagate(injector, home, file);
        try {
            luagate.listen();
        } catch (RuntimeException e) {
            luagate.close();
            throw e;
        }
        return luagate;
    }

    /** Checks everything {@link #start} would, without binding: plugins present, rules valid. */
    public static Problems check(Settings settings, Path home) {
        Injector injector = Guice.createInjector(Stage.PRODUCTION, new KernelModule(settings, home));
        Plugins plugins = injector.getInstance(Plugins.class);
        try {
            return configure(injector, true);
        } finally {
            injector.getInstance(Extensions.class).stop();
            plugins.close();
        }
    }

    /**
     * The plugins of {@code settings}' directory with every name they provide, the names their
     * extensions register while configured included, and every problem met on the way
     * ({@code luagate plugins}, {@code luagate version -vv}).
     */
    public static PluginInventory inventory(Settings settings, Path home) {
        Injector injector = Guice.createInjector(Stage.PRODUCTION, new KernelModule(settings, home));
        Plugins plugins = injector.getInstance(Plugins.class);
        try {
            Problems problems = new Problems();
            injector.getInstance(Extensions.class).configure(true, problems);
            List<String> lines = new ArrayList<>();
            plugins.problems().forEach(problem -> lines.add(problem.toString()));
            problems.list().forEach(problem -> lines.add(problem.toString()));
            String tls = plugins.tls().map(TlsTerminator::engine).orElse(null);
            return new PluginInventory(plugins.dir(), plugins.describe(), tls, lines);
        } finally {
            injector.getInstance(Extensions.class).stop();
            plugins.close();
        }
    }

    private void listen() {
        Generation first = current;
        for (DefaultFrontend frontend : first.proxies().frontends().values()) {
            for (BoundListener listener : frontend.listeners()) {
                listeners.bind(listener, acceptor(frontend, listener, first));
            }
        }
        publishAddresses(first);
        LOG.info("luagate started: {} event loop(s), {} transport, plugins from {}",
                loops.size(), loops.transportName(), plugins.dir());
    }

    private Acceptor acceptor(DefaultFrontend frontend, BoundListener listener, Generation generation) {
        return new Acceptor(new Acceptor.Route(frontend, listener, generation.lease()), kernel, contexts,
                ch -> loops.indexOf(ch.eventLoop()));
    }

    /** Logs and remembers where each frontend of {@code generation} listens. */
    private void publishAddresses(Generation generation) {
        Map<String, List<InetSocketAddress>> bound = new LinkedHashMap<>();
        for (DefaultFrontend frontend : generation.proxies().frontends().values()) {
            List<InetSocketAddress> list = new ArrayList<>();
            for (BoundListener listener : frontend.listeners()) {
                list.addAll(listener.addresses());
            }
            bound.put(frontend.name(), List.copyOf(list));
            LOG.info("frontend {} ({}) listening on {}", frontend.name(), frontend.mode(),
                    list.stream().map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).distinct().toList());
        }
        addresses = Map.copyOf(bound);
    }

    /** The addresses a frontend listens on (useful when it was bound to port 0). */
    public List<InetSocketAddress> addresses(String frontend) {
        return addresses.getOrDefault(frontend, List.of());
    }

    /** The settings of the current generation. */
    public Settings settings() {
        return current.settings();
    }

    /** The frontends and backends of the current generation. */
    public Proxies proxies() {
        return current.proxies();
    }

    /** The number of the current generation: 1 at start, one more per successful reload. */
    public long generation() {
        return current.number();
    }

    /** How many generations are not retired yet: the current one and those still serving connections. */
    public int liveGenerations() {
        return live.size();
    }

    /**
     * How many generations that served were retired (replaced, then freed once their last
     * connection moved on or closed); one a refused reload built and freed at once is not counted.
     */
    public long retiredGenerations() {
        return retired.get();
    }

    /** The process's runtime, as extensions that live for the process see it. */
    public ProcessRuntime runtime() {
        return runtime;
    }

    /** Client connections open now. */
    public int openConnections() {
        return limiter.open();
    }

    /**
     * Reloads the configuration file luagate was started with: see {@link #reload(Settings)}.
     * Blocks until done.
     *
     * @throws IllegalStateException on one of luagate's event loops (it would wait for itself)
     */
    public ReloadResult reload() {
        refuseOnEventLoop();
        return reloadAsync().toCompletableFuture().join();
    }

    /** {@link #reload()} without waiting; completes on the reload thread. */
    public CompletionStage<ReloadResult> reloadAsync() {
        return submit(() -> {
            if (file == null) {
                return ReloadResult.refused(generation(), List.of("luagate was started without a configuration file:"
                        + " there is nothing to reload"));
            }
            Problems problems = new Problems();
            Settings next;
            try {
                next = ConfigLoader.check(file, home, problems);
            } catch (RuntimeException e) {
                problems.add(new ConfigProblem(file.toString(), "", "cannot be read: " + e.getMessage()));
                next = null;
            }
            if (next == null || !problems.isEmpty()) {
                return refused(problems);
            }
            return apply(next);
        });
    }

    /**
     * Replaces the running configuration by {@code next}: everything is checked first, as a start
     * checks it (plugins, sections, scripts, rules, what a reload cannot change), and on any
     * problem nothing changes. Else a new generation is built and started, its new binds are
     * bound, the binds it keeps hand their open sockets over, and it takes every new stream;
     * removed binds close. Blocks until done.
     *
     * @throws IllegalStateException on one of luagate's event loops
     */
    public ReloadResult reload(Settings next) {
        refuseOnEventLoop();
        return submit(() -> apply(next)).toCompletableFuture().join();
    }

    private void refuseOnEventLoop() {
        if (Thread.currentThread() == reloadThread) {
            throw new IllegalStateException("reload() blocks: it cannot be called while a reload runs on this thread");
        }
        for (LoopContext context : contexts) {
            if (context.loop().inEventLoop()) {
                throw new IllegalStateException("reload() blocks: call reloadAsync() on an event loop");
            }
        }
    }

    private CompletionStage<ReloadResult> submit(java.util.concurrent.Callable<ReloadResult> work) {
        CompletableFuture<ReloadResult> result = new CompletableFuture<>();
        try {
            reloads.execute(() -> {
                try {
                    result.complete(work.call());
                } catch (Throwable e) {
                    LOG.warn("reload failed", e);
                    result.complete(ReloadResult.refused(generation(), List.of("reload failed: " + e)));
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(ReloadResult.refused(generation(), List.of("luagate is stopping")));
        }
        return result;
    }

    private ReloadResult refused(Problems problems) {
        List<String> lines = problems.list().stream().distinct().map(ConfigProblem::toString).toList();
        LOG.warn("reload refused, generation {} goes on serving: {} problem(s)", generation(), lines.size());
        lines.forEach(line -> LOG.warn("  {}", line));
        return ReloadResult.refused(generation(), lines);
    }

    /** Builds, checks, starts and switches to a generation of {@code next}. On the reload thread. */
    private ReloadResult apply(Settings next) {
        synchronized (switching) {
            if (closed || draining) {
                return ReloadResult.refused(generation(), List.of("luagate is stopping"));
            }
            Generation old = current;
            Problems problems = new Problems();
            unchangeable(old.settings(), next, problems);
            Injector injector;
            Extensions extensions = null;
            try {
                injector = Guice.createInjector(Stage.PRODUCTION, new KernelModule(next, home, process));
                extensions = injector.getInstance(Extensions.class);
                extensions.inherit(processSections);
                configure(injector, false).list().forEach(problems::add);
            } catch (RuntimeException e) {
                // A plugin's failure while configured is its own problem; whatever else broke is told in one line.
                LOG.debug("building the new generation failed", e);
                if (extensions != null) {
                    extensions.stop();
                }
                problems.add(new ConfigProblem(next.source(), "", "the new configuration cannot be built: " + e));
                return refused(problems);
            }
            if (!problems.isEmpty()) {
                extensions.stop();
                return refused(problems);
            }
            Generation fresh = null;
            try {
                Proxies proxies = injector.getInstance(ProxyBuilder.class)
                        .build(loops, server -> forEachSession(session -> session.shutIfServedBy(server)));
                fresh = new Generation(old.number() + 1, next, extensions, proxies);
                extensions.start(loops, proxies, runtime);
                List<HealthChecker> checkers = extensions.healthCheckers();
                proxies.backends().values().forEach(backend -> backend.checkedBy(checkers));
            } catch (RuntimeException e) {
                extensions.stop();
                if (fresh != null) {
                    // Built but never served: its pools and TLS contexts go at once.
                    Generation unused = fresh;
                    live.add(unused);
                    unused.lease().replaced(() -> retireLater(unused));
                }
                if (e instanceof InvalidConfigException invalid) {
                    invalid.problems().forEach(problems::add);
                } else {
                    LOG.debug("starting the new generation failed", e);
                    problems.add(new ConfigProblem(next.source(), "", "the new configuration failed to start: " + e));
                }
                return refused(problems);
            }
            GenerationSwitch change = new GenerationSwitch(old, fresh, listeners, this::acceptor);
            try {
                change.bindNew();
            } catch (Exception e) {
                // Netty's sync rethrows the bind's IOException unchecked: any exception here is a bind that failed.
                // Nothing of the new generation serves: what it opened closes, and it is retired at once.
                change.abandon();
                Generation unused = fresh;
                live.add(unused);
                unused.lease().replaced(() -> retireLater(unused));
                problems.add(new ConfigProblem(next.source(), "", "cannot listen: " + e.getMessage()));
                return refused(problems);
            }
            Generation serving = fresh;
            live.add(serving);
            serving.serve();
            change.handOver();
            current = serving;
            change.closeRemoved();
            // Connections of a removed bind finish the request they are serving, then close.
            forEachSession(session -> {
                if (session.orphaned()) {
                    session.channel().pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
                }
            });
            // Backends start with fresh pools: the old ones close their idle connections now.
            for (LoopContext context : contexts) {
                context.loop().execute(() -> old.closePools(context.index()));
            }
            old.lease().replaced(() -> retireLater(old));
            publishAddresses(fresh);
            List<String> notes = change.notes();
            LOG.info("reloaded: generation {} serves new streams ({} kept, {} opened, {} closed listener(s));"
                    + " generation {} finishes what it serves", fresh.number(), change.kept(), change.opened(),
                    change.closed(), old.number());
            notes.forEach(note -> LOG.info("  {}", note));
            return ReloadResult.succeeded(fresh.number(), notes);
        }
    }

    /** What a reload cannot change, because it belongs to the process: each change is a problem. */
    private static void unchangeable(Settings was, Settings next, Problems problems) {
        String why = "cannot change by a reload (it belongs to the process); restart luagate to change it";
        if (was.global().threads() != next.global().threads()) {
            problems.add(new ConfigProblem(next.source(), "global.threads", why));
        }
        if (!was.global().cpuMap().lines().equals(next.global().cpuMap().lines())) {
            problems.add(new ConfigProblem(next.source(), "global.cpu-map", why));
        }
        if (was.global().maxconn() != next.global().maxconn()) {
            problems.add(new ConfigProblem(next.source(), "global.maxconn", why));
        }
        if (!was.pluginsDir().equals(next.pluginsDir())) {
            problems.add(new ConfigProblem(next.source(), "plugins.dir", why + " (plugins are loaded once)"));
        }
        if (!was.log().equals(next.log())) {
            problems.add(new ConfigProblem(next.source(), "log", why));
        }
    }

    /** Hands the retirement of {@code generation} to the reload thread (called on an event loop, as its last connection closes). */
    private void retireLater(Generation generation) {
        try {
            reloads.execute(() -> retire(generation));
        } catch (RejectedExecutionException e) {
            // luagate is closing: close() frees every generation left.
        }
    }

    /** Frees a replaced generation once no connection uses it. On the reload thread. */
    private void retire(Generation generation) {
        synchronized (switching) {
            if (!live.remove(generation)) {
                return;
            }
            generation.extensions().retire();
            CountDownLatch done = new CountDownLatch(contexts.length);
            for (LoopContext context : contexts) {
                try {
                    context.loop().execute(() -> {
                        try {
                            generation.closePools(context.index());
                            generation.closeMultiplexed(context.index());
                        } finally {
                            done.countDown();
                        }
                    });
                } catch (RejectedExecutionException e) {
                    done.countDown();
                }
            }
            try {
                done.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            generation.closeTls();
            if (generation.served()) {
                retired.incrementAndGet();
                LOG.info("generation {} retired: its last connection moved on or closed", generation.number());
            }
        }
    }

    /**
     * Stops accepting, asks every connection to finish (idle ones close now, busy ones after their
     * response), waits up to {@code grace} for them, then closes what is left and stops.
     *
     * @param interrupt counted down to cut the grace period short (a second SIGTERM)
     */
    public void drain(Duration grace, CountDownLatch interrupt) {
        LOG.info("draining: no new connections, {} open, up to {} to finish", limiter.open(), grace);
        synchronized (switching) {
            draining = true;
        }
        listeners.close();
        forEachSession(session -> session.channel().pipeline().fireUserEventTriggered(DrainEvent.INSTANCE));
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (limiter.open() > 0 && System.nanoTime() < deadline) {
                if (interrupt.await(20, TimeUnit.MILLISECONDS)) {
                    LOG.info("second stop signal: closing {} connection(s) now", limiter.open());
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (limiter.open() > 0) {
            LOG.info("grace period over: closing {} connection(s)", limiter.open());
        }
        close();
    }

    private void forEachSession(Consumer<DefaultSession> action) {
        for (LoopContext context : contexts) {
            try {
                context.loop().execute(() -> context.sessions().forEach(action));
            } catch (RejectedExecutionException e) {
                // Stopped: its connections are closed.
            }
        }
    }

    /** Closes everything now. */
    @Override
    public void close() {
        List<Generation> generations;
        synchronized (switching) {
            if (closed) {
                return;
            }
            closed = true;
            draining = true;
            generations = List.copyOf(live);
            live.clear();
        }
        reloads.shutdownNow();
        listeners.close();
        for (Generation generation : generations) {
            generation.extensions().retire();
        }
        runtime.close();
        CountDownLatch done = new CountDownLatch(contexts.length);
        for (LoopContext context : contexts) {
            context.loop().execute(() -> {
                try {
                    context.sessions().forEach(session -> session.channel().close());
                    for (Generation generation : generations) {
                        generation.closePools(context.index());
                        // Shared HTTP/2 connections belong to no session and no idle pool: closed
                        // here, on their loop, because the loop's own shutdown may not close them
                        // (their pipelines, and the TLS engines in them, would never be released).
                        generation.closeMultiplexed(context.index());
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            done.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loops.close();
        generations.forEach(Generation::closeTls);
        accessLog.close();
        plugins.close();
        LOG.info("luagate stopped");
    }
}
