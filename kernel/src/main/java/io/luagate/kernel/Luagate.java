package io.luagate.kernel;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.luagate.kernel.config.ConfigProblem;
import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Settings;
import io.luagate.kernel.extension.Extensions;
import io.luagate.kernel.log.AccessLog;
import io.luagate.kernel.metrics.Metrics;
import io.luagate.kernel.net.BoundListener;
import io.luagate.kernel.net.ConnectionLimiter;
import io.luagate.kernel.net.EventLoops;
import io.luagate.kernel.net.Listeners;
import io.luagate.kernel.plugin.PluginInventory;
import io.luagate.kernel.plugin.PluginProblem;
import io.luagate.kernel.plugin.Plugins;
import io.luagate.kernel.proxy.DefaultBackend;
import io.luagate.kernel.proxy.DefaultFrontend;
import io.luagate.kernel.proxy.DefaultServer;
import io.luagate.kernel.proxy.Proxies;
import io.luagate.kernel.proxy.ProxyBuilder;
import io.luagate.kernel.stream.DefaultSession;
import io.luagate.kernel.stream.Kernel;
import io.luagate.kernel.stream.LoopContext;
import io.luagate.spi.pool.UpstreamPool;
import io.luagate.spi.stream.DrainEvent;
import io.luagate.spi.tls.TlsListener;
import io.luagate.spi.tls.TlsTerminator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running luagate: plugins loaded, proxies built, event loops started, frontends listening.
 * {@link #drain} is the SIGTERM path; {@link #close} stops at once.
 */
public final class Luagate implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Luagate.class);

    private final Settings settings;
    private final Plugins plugins;
    private final EventLoops loops;
    private final AccessLog accessLog;
    private final ConnectionLimiter limiter;
    private final Listeners listeners;
    private final LoopContext[] contexts;
    private final Proxies proxies;
    private final Extensions extensions;
    private final Map<String, List<InetSocketAddress>> addresses = new LinkedHashMap<>();
    private volatile boolean draining;
    private boolean closed;

    private Luagate(Injector injector) {
        this.settings = injector.getInstance(Settings.class);
        this.plugins = injector.getInstance(Plugins.class);
        this.extensions = injector.getInstance(Extensions.class);
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
        this.listeners = new Listeners(loops, limiter);
        this.contexts = new LoopContext[loops.size()];
        for (int i = 0; i < contexts.length; i++) {
            contexts[i] = new LoopContext(i, loops.loop(i + 1));
        }
        this.proxies = builder.build(loops, server -> forEachSession(session -> session.shutIfServedBy(server)));
        injector.getInstance(Metrics.class).process(limiter::open, accessLog::dropped);
        extensions.start(loops, proxies);
        injector.getInstance(Metrics.class).scripts(extensions::scriptStats);
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
     * Starts luagate on {@code settings}.
     *
     * @throws io.luagate.kernel.config.InvalidConfigException when a feature has no plugin or a rule is bad
     */
    public static Luagate start(Settings settings, Path home) {
        Injector injector = Guice.createInjector(Stage.PRODUCTION, new KernelModule(settings, home));
        Luagate luagate = new Luagate(injector);
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
        Kernel kernel = new Kernel(accessLog, limiter, () -> draining, new ConcurrentHashMap<>());
        for (DefaultFrontend frontend : proxies.frontends().values()) {
            List<InetSocketAddress> bound = new ArrayList<>();
            for (BoundListener listener : frontend.listeners()) {
                bound.addAll(listeners.bind(listener, accept(frontend, listener, kernel)));
            }
            addresses.put(frontend.name(), List.copyOf(bound));
            LOG.info("frontend {} ({}) listening on {}", frontend.name(), frontend.mode(),
                    bound.stream().map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).distinct().toList());
        }
        LOG.info("luagate started: {} event loop(s), {} transport, plugins from {}",
                loops.size(), loops.transportName(), plugins.dir());
    }

    /** What a bind does with each connection it accepts: TLS first when it has it, then the codec. */
    private ChannelInitializer<Channel> accept(DefaultFrontend frontend, BoundListener listener, Kernel kernel) {
        TlsListener tls = listener.tls();
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (!limiter.tryAcquire()) {
                    ch.close();
                    return;
                }
                frontend.accepted();
                LoopContext context = contexts[loops.indexOf(ch.eventLoop())];
                DefaultSession session = new DefaultSession(frontend, listener, ch, context, kernel);
                if (tls != null) {
                    tls.install(ch);
                }
                frontend.codec().initClient(ch, session);
            }
        };
    }

    /** The addresses a frontend listens on (useful when it was bound to port 0). */
    public List<InetSocketAddress> addresses(String frontend) {
        return addresses.getOrDefault(frontend, List.of());
    }

    public Settings settings() {
        return settings;
    }

    public Proxies proxies() {
        return proxies;
    }

    /** Client connections open now. */
    public int openConnections() {
        return limiter.open();
    }

    /**
     * Stops accepting, asks every connection to finish (idle ones close now, busy ones after their
     * response), waits up to {@code grace} for them, then closes what is left and stops.
     *
     * @param interrupt counted down to cut the grace period short (a second SIGTERM)
     */
    public void drain(Duration grace, CountDownLatch interrupt) {
        LOG.info("draining: no new connections, {} open, up to {} to finish", limiter.open(), grace);
        draining = true;
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

    private void forEachSession(java.util.function.Consumer<DefaultSession> action) {
        for (LoopContext context : contexts) {
            context.loop().execute(() -> context.sessions().forEach(action));
        }
    }

    /**
     * Releases the TLS contexts of the binds and servers (native memory with OpenSSL), once the
     * loops are done: no connection can open an engine on them any more.
     */
    private void closeTls() {
        Set<Object> closed = Collections.newSetFromMap(new IdentityHashMap<>());
        for (DefaultFrontend frontend : proxies.frontends().values()) {
            for (BoundListener listener : frontend.listeners()) {
                if (listener.tls() != null && closed.add(listener.tls())) {
                    listener.tls().close();
                }
            }
        }
        for (DefaultBackend backend : proxies.backends().values()) {
            for (DefaultServer server : backend.servers()) {
                if (server.tls() != null && closed.add(server.tls().origin())) {
                    server.tls().origin().close();
                }
            }
        }
    }

    /** Closes everything now. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        draining = true;
        listeners.close();
        extensions.stop();
        CountDownLatch done = new CountDownLatch(contexts.length);
        for (LoopContext context : contexts) {
            context.loop().execute(() -> {
                try {
                    context.sessions().forEach(session -> session.channel().close());
                    for (DefaultBackend backend : proxies.backends().values()) {
                        UpstreamPool pool = backend.pool(context.index());
                        if (pool != null) {
                            pool.close();
                        }
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
        closeTls();
        accessLog.close();
        plugins.close();
        LOG.info("luagate stopped");
    }
}
