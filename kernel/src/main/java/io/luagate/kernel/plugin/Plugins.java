package io.luagate.kernel.plugin;

import com.google.inject.Injector;
import io.luagate.spi.balancer.BalancerFactory;
import io.luagate.spi.codec.Codec;
import io.luagate.spi.extension.Extension;
import io.luagate.spi.pool.UpstreamPoolFactory;
import io.luagate.spi.tls.TlsTerminator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.pf4j.DefaultPluginManager;
import org.pf4j.ExtensionFactory;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * The plugins found in the plugins directory, loaded by PF4J. Extensions are instantiated by Guice
 * so that they receive kernel services through {@code @Inject} constructors. Which extension
 * serves which configured feature (a mode, a balance algorithm, the pool) is answered here.
 */
public final class Plugins implements AutoCloseable {

    private final Path dir;
    private final PluginManager manager;
    private Map<String, Codec> codecs;

    /** Loads and starts every plugin in {@code dir}; {@code injector} creates their extensions. */
    public Plugins(Path dir, Supplier<Injector> injector) {
        this.dir = dir;
        this.manager = new DefaultPluginManager(dir) {
            @Override
            protected ExtensionFactory createExtensionFactory() {
                return new ExtensionFactory() {
                    @Override
                    public <T> T create(Class<T> extensionClass) {
                        return injector.get().getInstance(extensionClass);
                    }
                };
            }
        };
        if (Files.isDirectory(dir)) {
            manager.loadPlugins();
            manager.startPlugins();
        }
    }

    public Path dir() {
        return dir;
    }

    /** Plugins that failed to load or start, with the reason. */
    public List<String> failures() {
        List<String> failures = new ArrayList<>();
        for (PluginWrapper plugin : manager.getPlugins()) {
            if (plugin.getPluginState() != PluginState.STARTED) {
                Throwable error = plugin.getFailedException();
                failures.add(plugin.getPluginId() + " (" + plugin.getPluginPath() + "): " + plugin.getPluginState()
                        + (error == null ? "" : ": " + error));
            }
        }
        return failures;
    }

    /**
     * The codecs by mode, made once: the instances configured ({@link Codec#configure}) are the
     * ones that serve (PF4J makes new ones on each look-up).
     */
    public synchronized Map<String, Codec> codecs() {
        if (codecs == null) {
            Map<String, Codec> found = new LinkedHashMap<>();
            for (Codec codec : manager.getExtensions(Codec.class)) {
                found.putIfAbsent(codec.mode().name(), codec);
            }
            codecs = Collections.unmodifiableMap(found);
        }
        return codecs;
    }

    public Map<String, BalancerFactory> balancers() {
        Map<String, BalancerFactory> balancers = new LinkedHashMap<>();
        for (BalancerFactory factory : manager.getExtensions(BalancerFactory.class)) {
            balancers.putIfAbsent(factory.algorithm(), factory);
        }
        return balancers;
    }

    /** The plugins that extend the kernel as a whole (script engines...), in load order. */
    public List<Extension> extensions() {
        return manager.getExtensions(Extension.class);
    }

    /** The plugin that terminates TLS on {@code ssl = true} binds, if one is loaded. */
    public Optional<TlsTerminator> tls() {
        return manager.getExtensions(TlsTerminator.class).stream().findFirst();
    }

    public Optional<UpstreamPoolFactory> pool() {
        return manager.getExtensions(UpstreamPoolFactory.class).stream().findFirst();
    }

    /** Every started plugin with the extensions it provides, for {@code luagate plugins}. */
    public List<PluginInfo> describe() {
        List<PluginInfo> infos = new ArrayList<>();
        for (PluginWrapper plugin : manager.getStartedPlugins()) {
            List<String> extensions = new ArrayList<>();
            for (Class<?> point : List.of(Codec.class, BalancerFactory.class, UpstreamPoolFactory.class, TlsTerminator.class,
                    Extension.class)) {
                for (Object extension : manager.getExtensions(point, plugin.getPluginId())) {
                    extensions.add(point.getSimpleName() + ": " + describe(extension));
                }
            }
            infos.add(new PluginInfo(plugin.getPluginId(), plugin.getDescriptor().getVersion(),
                    plugin.getPluginPath().getFileName().toString(), extensions));
        }
        return infos;
    }

    private static String describe(Object extension) {
        String what = switch (extension) {
            case Codec codec -> "mode " + codec.mode().name();
            case BalancerFactory factory -> "balance " + factory.algorithm();
            case UpstreamPoolFactory factory -> "upstream pools";
            case TlsTerminator tls -> "TLS on binds (ssl = true)";
            case Extension ext -> ext.configSection() == null ? "extension"
                    : "configuration section " + ext.configSection();
            default -> "";
        };
        return what + " (" + extension.getClass().getName() + ")";
    }

    @Override
    public void close() {
        // unloadPlugins stops each plugin first; PF4J's stopPlugins trips over its own list here.
        manager.unloadPlugins();
    }
}
