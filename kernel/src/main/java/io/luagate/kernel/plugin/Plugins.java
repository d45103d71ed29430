package io.luagate.kernel.plugin;

import com.google.inject.ConfigurationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.spi.Message;
import io.luagate.spi.SpiLevel;
import io.luagate.spi.balancer.BalancerFactory;
import io.luagate.spi.codec.Codec;
import io.luagate.spi.extension.Extension;
import io.luagate.spi.health.HealthChecker;
import io.luagate.spi.pool.UpstreamPoolFactory;
import io.luagate.spi.tls.TlsTerminator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.pf4j.DefaultPluginManager;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugins of the plugins directory. Every jar there either serves or is reported with its
 * reason ({@link #problems()}): not a plugin, no extensions index, an SPI level it refuses, an id
 * that two jars claim, an extension that cannot be made. Extensions are made once, by Guice, so
 * that they may take the SPI services of {@link InjectableServices}; a plugin one of whose
 * extensions fails is left out whole. Which extension serves which configured name (a mode, a
 * balance algorithm, the pool) is answered here, and two plugins providing one name are a problem.
 */
public final class Plugins implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);

    /** What the pool and TLS plugins provide: one role each, rather than a name the configuration uses. */
    private static final String POOL_NAME = "(upstream connection pools: http-reuse)";
    private static final String TLS_NAME = "(ssl = true on binds and servers)";
    private static final String HEALTH_NAME = "(check = true and observe on servers)";

    /** The extension points of the SPI: an indexed class serving none of them is left alone. */
    private static final List<Class<?>> POINTS = List.of(Codec.class, BalancerFactory.class, UpstreamPoolFactory.class,
            TlsTerminator.class, Extension.class);

    private final Path dir;
    private final Supplier<Injector> injector;
    private final PluginManager manager;
    private final List<PluginProblem> problems = new ArrayList<>();
    private final ProvidedNames provided = new ProvidedNames();
    private final List<PluginWrapper> loaded = new ArrayList<>();
    /** Whether this instance loaded the jars (and unloads them on close), rather than being a generation's view. */
    private final boolean owner;
    private Catalog catalog;

    /** The extensions made from the plugins that serve, by role. */
    private record Catalog(Map<String, Codec> codecs, Map<String, BalancerFactory> balancers, List<Extension> extensions,
                           Optional<TlsTerminator> tls, Optional<UpstreamPoolFactory> pool, Map<Object, String> owners,
                           Optional<HealthChecker> healthChecker) {
    }

    /** Loads and starts every plugin in {@code dir}; {@code injector} creates their extensions. */
    public Plugins(Path dir, Supplier<Injector> injector) {
        this.dir = dir;
        this.injector = injector;
        DefaultPluginManager pf4j = new DefaultPluginManager(dir) {
            // The manifest only, as PluginScan reads it: PF4J's default looks for a plugin.properties
            // first, opening each jar as a zip file system (jdk.zipfs, some 30 classes kept for the
            // process's life), and would prefer that file's metadata to the manifest PluginScan checked.
            @Override
            protected PluginDescriptorFinder createPluginDescriptorFinder() {
                return new ManifestPluginDescriptorFinder();
            }
        };
        // PF4J then refuses what Plugin-Requires refuses too; PluginScan has already said why, per jar.
        pf4j.setSystemVersion(SpiLevel.current());
        this.manager = pf4j;
        this.owner = true;
        PluginScan scan = PluginScan.scan(dir, SpiLevel.current(), pf4j.getVersionManager());
        problems.addAll(scan.problems());
        for (PluginJar jar : scan.accepted()) {
            load(jar);
        }
    }

    /**
     * A view of {@code loaded}'s plugins for a new generation of the configuration (a reload): the
     * same jars and class loaders (plugins are not loaded again), but extensions made anew by
     * {@code injector}, and the names they provide claimed afresh. Closing the view unloads nothing.
     */
    private Plugins(Plugins loaded, Supplier<Injector> injector) {
        this.dir = loaded.dir;
        this.injector = injector;
        this.manager = loaded.manager;
        this.owner = false;
        synchronized (loaded) {
            // The plugins that serve: a running luagate had no problem with any of them.
            loaded.catalog();
            this.loaded.addAll(loaded.loaded);
        }
        provided.labelsFrom(loaded.provided);
    }

    /** The same plugins, with extensions made anew by {@code injector}: a new generation's (see the private constructor). */
    public Plugins forGeneration(Supplier<Injector> injector) {
        return new Plugins(this, injector);
    }

    private void load(PluginJar jar) {
        try {
            String id = manager.loadPlugin(jar.file());
            PluginState state = manager.startPlugin(id);
            PluginWrapper plugin = manager.getPlugin(id);
            if (state != PluginState.STARTED) {
                LOG.debug("plugin {} did not start", jar.file(), plugin.getFailedException());
                problems.add(new PluginProblem(jar.file().toString(), "plugin " + jar.label() + " did not start ("
                        + state + (plugin.getFailedException() == null ? "" : ": " + reason(plugin.getFailedException()))
                        + ")"));
                return;
            }
            provided.label(id, jar.label());
            loaded.add(plugin);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("plugin {} failed to load", jar.file(), e);
            problems.add(new PluginProblem(jar.file().toString(), "plugin " + jar.label() + " cannot be loaded: " + reason(e)));
        }
    }

    public Path dir() {
        return dir;
    }

    /** Where plugin {@code id} came from (its jar), for problems that name it. */
    public String where(String id) {
        PluginWrapper plugin = manager.getPlugin(id);
        return plugin == null ? dir.toString() : plugin.getPluginPath().toString();
    }

    /** The running SPI level: what {@code Plugin-Requires} is checked against. */
    public static String spiLevel() {
        return SpiLevel.current();
    }

    /** Every file of the plugins directory that does not serve, and every name two plugins provide. */
    public synchronized List<PluginProblem> problems() {
        catalog();
        return List.copyOf(problems);
    }

    /** {@link #problems()} as the lines {@code plugins} and {@code check} print. */
    public List<String> failures() {
        return problems().stream().map(PluginProblem::toString).toList();
    }

    /** Who provides which name; extensions add theirs (actions, fetches...) as they are configured. */
    public ProvidedNames provided() {
        return provided;
    }

    /** The plugin id of an extension made here, or {@code null} for an object from elsewhere (a test's). */
    public String owner(Object extension) {
        return catalog().owners().get(extension);
    }

    /** The codecs by mode, made once: the instances configured ({@link Codec#configure}) are the ones that serve. */
    public Map<String, Codec> codecs() {
        return catalog().codecs();
    }

    /** The balancer factories by every algorithm name they serve ({@code algorithm()} and {@code otherAlgorithms()}). */
    public Map<String, BalancerFactory> balancers() {
        return catalog().balancers();
    }

    /** The plugins that extend the kernel as a whole (script engines...), in load order. */
    public List<Extension> extensions() {
        return catalog().extensions();
    }

    /** The plugin that terminates TLS on {@code ssl = true} binds, if one is loaded. */
    public Optional<TlsTerminator> tls() {
        return catalog().tls();
    }

    public Optional<UpstreamPoolFactory> pool() {
        return catalog().pool();
    }

    /** The plugin that runs the checks of {@code check = true} servers, if one is loaded. */
    public Optional<HealthChecker> healthChecker() {
        return catalog().healthChecker();
    }

    /**
     * The message for a configured name no plugin provides:
     * {@code no installed plugin provides balance 'random' (installed: roundrobin)}.
     */
    public String missing(ProvidedKind kind, String name, Collection<String> installed) {
        return "no installed plugin provides " + kind.label() + (name == null ? "" : " '" + name + "'")
                + (installed.isEmpty() ? " (none is installed in " + dir + ")"
                        : " (installed: " + String.join(", ", new TreeSet<>(installed)) + ")");
    }

    /** Every plugin that serves, with what it provides, sorted by id. */
    public List<PluginInfo> describe() {
        catalog();
        List<PluginInfo> infos = new ArrayList<>();
        for (PluginWrapper plugin : loaded) {
            var descriptor = plugin.getDescriptor();
            infos.add(new PluginInfo(plugin.getPluginId(), descriptor.getVersion(), orEmpty(descriptor.getProvider()),
                    orEmpty(descriptor.getPluginDescription()),
                    descriptor.getRequires() == null || descriptor.getRequires().isBlank() ? "*" : descriptor.getRequires(),
                    plugin.getPluginPath().getFileName().toString(), provided.of(plugin.getPluginId())));
        }
        infos.sort((a, b) -> a.id().compareTo(b.id()));
        return infos;
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    private synchronized Catalog catalog() {
        if (catalog == null) {
            catalog = build();
        }
        return catalog;
    }

    /** Makes every extension of every loaded plugin; a plugin with one failure is left out whole. */
    private Catalog build() {
        Map<String, Codec> codecs = new LinkedHashMap<>();
        Map<String, BalancerFactory> balancers = new LinkedHashMap<>();
        List<Extension> extensions = new ArrayList<>();
        List<TlsTerminator> tls = new ArrayList<>();
        List<UpstreamPoolFactory> pools = new ArrayList<>();
        List<HealthChecker> checkers = new ArrayList<>();
        Map<Object, String> owners = new IdentityHashMap<>();
        Injector guice = loaded.isEmpty() ? null : injector.get();
        if (guice == null && !loaded.isEmpty()) {
            guice = Guice.createInjector();
        }
        for (PluginWrapper plugin : List.copyOf(loaded)) {
            List<Object> made = make(plugin, guice);
            if (made == null) {
                loaded.remove(plugin);
                continue;
            }
            String id = plugin.getPluginId();
            String where = plugin.getPluginPath().toString();
            try {
                for (Object extension : made) {
                    owners.put(extension, id);
                    if (extension instanceof Codec codec) {
                        claim(ProvidedKind.MODE, codec.mode().name(), id, where, () -> codecs.putIfAbsent(codec.mode().name(), codec));
                        if (codec.configSection() != null) {
                            claim(ProvidedKind.CONFIG_SECTION, codec.configSection(), id, where, () -> { });
                        }
                    }
                    if (extension instanceof BalancerFactory factory) {
                        claim(ProvidedKind.BALANCE, factory.algorithm(), id, where, () -> balancers.putIfAbsent(factory.algorithm(), factory));
                        for (String other : factory.otherAlgorithms()) {
                            claim(ProvidedKind.BALANCE, other, id, where, () -> balancers.putIfAbsent(other, factory));
                        }
                    }
                    if (extension instanceof UpstreamPoolFactory factory) {
                        claim(ProvidedKind.POOL, POOL_NAME, id, where, () -> pools.add(factory));
                    }
                    if (extension instanceof TlsTerminator terminator) {
                        claim(ProvidedKind.TLS, TLS_NAME, id, where, () -> tls.add(terminator));
                    }
                    if (extension instanceof HealthChecker checker) {
                        claim(ProvidedKind.HEALTH_CHECK, HEALTH_NAME, id, where, () -> checkers.add(checker));
                    }
                    if (extension instanceof Extension ext) {
                        extensions.add(ext);
                        if (ext.configSection() != null) {
                            claim(ProvidedKind.CONFIG_SECTION, ext.configSection(), id, where, () -> { });
                        }
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                // A method of the SPI the plugin does not implement (built against another level) fails here.
                LOG.debug("plugin {} failed", where, e);
                problems.add(new PluginProblem(where, "plugin " + label(plugin) + " fails: " + reason(e) + hint(plugin, e)));
            }
        }
        return new Catalog(Collections.unmodifiableMap(codecs), Collections.unmodifiableMap(balancers),
                List.copyOf(extensions), tls.stream().findFirst(), pools.stream().findFirst(), owners,
                checkers.stream().findFirst());
    }

    private void claim(ProvidedKind kind, String name, String id, String where, Runnable use) {
        String duplicate = provided.claim(kind, name, id);
        if (duplicate == null) {
            use.run();
        } else {
            problems.add(new PluginProblem(where, duplicate));
        }
    }

    /** The extensions of {@code plugin}, made; {@code null} when one cannot be (its problem recorded). */
    private List<Object> make(PluginWrapper plugin, Injector guice) {
        List<Object> made = new ArrayList<>();
        ClassLoader loader = plugin.getPluginClassLoader();
        for (String name : new TreeSet<>(manager.getExtensionClassNames(plugin.getPluginId()))) {
            String failure;
            try {
                Class<?> type = loader.loadClass(name);
                if (POINTS.stream().noneMatch(point -> point.isAssignableFrom(type))) {
                    // Indexed by PF4J but serving none of luagate's extension points: not luagate's to make.
                    continue;
                }
                failure = InjectableServices.refusal(type, loader);
                if (failure == null) {
                    made.add(guice.getInstance(type));
                }
            } catch (RuntimeException | LinkageError | ClassNotFoundException e) {
                LOG.debug("extension {} of {} cannot be made", name, plugin.getPluginPath(), e);
                failure = name + " cannot be made: " + reason(e) + hint(plugin, e);
            }
            if (failure != null) {
                problems.add(new PluginProblem(plugin.getPluginPath().toString(), "plugin " + label(plugin)
                        + " is not loaded: extension " + failure));
                return null;
            }
        }
        return made;
    }

    private String label(PluginWrapper plugin) {
        return "'" + plugin.getPluginId() + "' " + plugin.getDescriptor().getVersion();
    }

    /** A class missing at run time means the plugin was built against another SPI: say so. */
    private static String hint(PluginWrapper plugin, Throwable e) {
        Throwable root = root(e);
        if (root instanceof NoClassDefFoundError || root instanceof ClassNotFoundException
                || root instanceof AbstractMethodError || root instanceof NoSuchMethodError) {
            String requires = plugin.getDescriptor().getRequires();
            return " (built against another SPI level? it requires '" + (requires == null || requires.isBlank() ? "*" : requires)
                    + "'; this luagate offers SPI level " + SpiLevel.current() + ")";
        }
        return "";
    }

    /** One line: what failed at the bottom, without Guice's or PF4J's wrapping. */
    static String reason(Throwable e) {
        if (e instanceof ConfigurationException configuration && !configuration.getErrorMessages().isEmpty()) {
            Message first = configuration.getErrorMessages().iterator().next();
            if (first.getCause() == null) {
                return firstLine(first.getMessage());
            }
            e = first.getCause();
        }
        if (e instanceof ProvisionException provision && provision.getCause() == null
                && !provision.getErrorMessages().isEmpty()) {
            return firstLine(provision.getErrorMessages().iterator().next().getMessage());
        }
        Throwable root = root(e);
        String message = root.getMessage();
        String kind = root instanceof ClassNotFoundException || root instanceof NoClassDefFoundError
                ? "class not found" : root.getClass().getSimpleName();
        return kind + (message == null ? "" : ": " + firstLine(message));
    }

    private static Throwable root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String firstLine(String text) {
        String line = text.strip();
        int end = line.indexOf('\n');
        return end < 0 ? line : line.substring(0, end).strip();
    }

    @Override
    public void close() {
        if (!owner) {
            return;
        }
        // unloadPlugins stops each plugin first; PF4J's stopPlugins trips over its own list here.
        manager.unloadPlugins();
    }
}
