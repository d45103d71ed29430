package io.luagate.kernel.extension;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.luagate.kernel.config.ConfigProblem;
import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Section;
import io.luagate.kernel.config.Settings;
import io.luagate.kernel.net.EventLoops;
import io.luagate.kernel.plugin.Plugins;
import io.luagate.kernel.plugin.ProvidedKind;
import io.luagate.kernel.plugin.ProvidedNames;
import io.luagate.kernel.rule.action.Side;
import io.luagate.kernel.proxy.Proxies;
import io.luagate.kernel.rule.RuleLanguage;
import io.luagate.spi.codec.Codec;
import io.luagate.spi.config.ConfigSection;
import io.luagate.spi.extension.Extension;
import io.luagate.spi.extension.ExtensionContext;
import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.pattern.PatternFiles;
import io.luagate.spi.pool.PoolSettings;
import io.luagate.spi.pool.UpstreamPool;
import io.luagate.spi.pool.UpstreamPoolFactory;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.sample.SampleLibrary;
import io.luagate.spi.vocabulary.Vocabulary;
import io.netty.channel.EventLoop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loaded {@link Extension}s through their life: each is given its configuration section and
 * the rule language to extend, then started once the proxies exist, and stopped at shutdown. The
 * codecs that read a section are given theirs here too.
 */
public final class Extensions {

    private static final Logger LOG = LoggerFactory.getLogger(Extensions.class);

    private final List<Extension> extensions;
    /** The codecs, configured with the extensions when they read a section ({@link Codec#configSection()}). */
    private final List<Codec> codecs;
    private final Optional<UpstreamPoolFactory> poolFactory;
    /** Pools made for extensions ({@link ExtensionRuntime#newUpstreamPool}), closed at stop on their loops. */
    private final List<Map.Entry<EventLoop, UpstreamPool>> extensionPools = new ArrayList<>();
    private final Settings settings;
    private final RuleLanguage language;
    private final Path home;
    private final RunningBackends backends;
    private final SampleLibrary samples;
    private final PatternFiles patterns;
    /** The plugin of each extension, and who provides which name; {@code null} in tests without plugins. */
    private final Plugins plugins;
    private boolean stopped;

    /** The extensions of {@code plugins}, given the same services extensions may {@code @Inject}. */
    public Extensions(Plugins plugins, Settings settings, RuleLanguage language, Path home, SampleLibrary samples,
                      PatternFiles patterns, RunningBackends backends) {
        this(plugins, plugins.extensions(), plugins.codecs().values(), plugins.pool(), settings, language, home, samples,
                patterns, backends);
    }

    /** Extensions from elsewhere than a plugins directory (a test's). */
    public Extensions(List<Extension> extensions, Collection<Codec> codecs, Optional<UpstreamPoolFactory> poolFactory,
                      Settings settings, RuleLanguage language, Path home) {
        this(null, extensions, codecs, poolFactory, settings, language, home, null, null, new RunningBackends());
    }

    private Extensions(Plugins plugins, List<Extension> extensions, Collection<Codec> codecs,
                       Optional<UpstreamPoolFactory> poolFactory, Settings settings, RuleLanguage language, Path home,
                       SampleLibrary samples, PatternFiles patterns, RunningBackends backends) {
        this.plugins = plugins;
        this.extensions = List.copyOf(extensions);
        this.codecs = List.copyOf(codecs);
        this.poolFactory = poolFactory;
        this.settings = settings;
        this.language = language;
        this.home = home;
        this.backends = backends;
        this.samples = samples != null ? samples
                : new KernelSampleLibrary(language, home, settings.backends().keySet(), backends::get);
        this.patterns = patterns != null ? patterns : new KernelPatternFiles(language.maps());
    }

    /**
     * Configures every extension; their problems, and those of sections no extension reads, are
     * added to {@code problems}.
     */
    public void configure(boolean checkOnly, Problems problems) {
        Map<String, ConfigValue> unclaimed = new LinkedHashMap<>(settings.pluginSections());
        Vocabulary kernelVocabulary = new KernelVocabulary(language);
        ProvidedNames names = plugins == null ? new ProvidedNames() : plugins.provided();
        claimBuiltins(names);
        int loops = EventLoops.count(settings.global().threads());
        for (Extension extension : extensions) {
            String name = extension.configSection();
            Section section = section(extension, name == null ? null : unclaimed.remove(name), problems);
            String plugin = plugins == null ? null : plugins.owner(extension);
            Vocabulary vocabulary = plugin == null ? kernelVocabulary
                    : new PluginVocabulary(kernelVocabulary, names, plugin, plugins.where(plugin), problems);
            ExtensionContext context = new ExtensionContext() {
                @Override
                public ConfigSection config() {
                    return section;
                }

                @Override
                public Vocabulary vocabulary() {
                    return vocabulary;
                }

                @Override
                public SampleLibrary samples() {
                    return samples;
                }

                @Override
                public PatternFiles patterns() {
                    return patterns;
                }

                @Override
                public Path home() {
                    return home;
                }

                @Override
                public int eventLoops() {
                    return loops;
                }

                @Override
                public boolean checkOnly() {
                    return checkOnly;
                }
            };
            try {
                extension.configure(context);
            } catch (RuntimeException | LinkageError e) {
                // A plugin's bug is its own: named, in one line, with the trace for those who ask for debug.
                LOG.debug("configuring {} failed", extension.getClass().getName(), e);
                problems.add(new ConfigProblem(plugin == null ? extension.getClass().getName() : plugins.where(plugin), "",
                        "plugin " + (plugin == null ? "" : "'" + plugin + "' ") + "failed while reading its configuration: "
                                + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())));
            }
            section.finish();
        }
        for (Codec codec : codecs) {
            String name = codec.configSection();
            if (name != null) {
                Section section = section(name, codec.getClass().getClassLoader(), codec.defaultsResource(),
                        unclaimed.remove(name), problems);
                codec.configure(section);
                section.finish();
            }
        }
        Set<String> read = new TreeSet<>(names.names(ProvidedKind.CONFIG_SECTION));
        unclaimed.forEach((key, value) -> problems.add(value.origin(), key,
                "unknown key: neither the kernel nor an installed plugin reads it (plugins read "
                        + (read.isEmpty() ? "no section: none is installed in " + settings.pluginsDir()
                                : String.join(", ", read)) + ")"));
    }

    /** The kernel's own fetches, converters and actions: a plugin naming one of them is a duplicate too. */
    private void claimBuiltins(ProvidedNames names) {
        language.registry().fetchKeywords().forEach(keyword -> names.claim(ProvidedKind.FETCH, keyword, ProvidedNames.KERNEL));
        language.registry().converterKeywords()
                .forEach(keyword -> names.claim(ProvidedKind.CONVERTER, keyword, ProvidedNames.KERNEL));
        for (Side side : Side.values()) {
            language.actions().keywords(side).forEach(keyword -> names.claim(ProvidedKind.ACTION, keyword, ProvidedNames.KERNEL));
        }
    }

    private Section section(Extension extension, ConfigValue user, Problems problems) {
        String name = extension.configSection() == null ? "" : extension.configSection();
        return section(name, extension.getClass().getClassLoader(), extension.defaultsResource(), user, problems);
    }

    /** The section {@code name}: the user's {@code user} over the plugin's {@code resource}. */
    private static Section section(String name, ClassLoader loader, String resource, ConfigValue user, Problems problems) {
        Config defaults = ConfigFactory.empty();
        if (resource != null) {
            defaults = ConfigFactory.parseResources(loader, resource);
        }
        Config config = defaults;
        if (user != null) {
            if (user.valueType() != ConfigValueType.OBJECT) {
                problems.add(user.origin(), name, "must be an object");
            } else {
                config = ((ConfigObject) user).toConfig().withFallback(defaults);
            }
        }
        try {
            config = config.resolve();
        } catch (ConfigException e) {
            problems.add(new ConfigProblem(name, name, e.getMessage()));
            config = ConfigFactory.empty();
        }
        return new Section(config, name, problems);
    }

    /** Starts every extension; the first failure stops the ones already started and is thrown. */
    public void start(EventLoops loops, Proxies proxies) {
        backends.publish(proxies.backends());
        List<EventLoop> eventLoops = new ArrayList<>(loops.size());
        for (int i = 1; i <= loops.size(); i++) {
            eventLoops.add(loops.loop(i));
        }
        Map<String, Frontend> frontends = new LinkedHashMap<>(proxies.frontends());
        Map<String, Backend> backendView = new LinkedHashMap<>(proxies.backends());
        ExtensionRuntime runtime = new ExtensionRuntime() {
            @Override
            public List<EventLoop> eventLoops() {
                return List.copyOf(eventLoops);
            }

            @Override
            public Map<String, Frontend> frontends() {
                return Collections.unmodifiableMap(frontends);
            }

            @Override
            public Map<String, Backend> backends() {
                return Collections.unmodifiableMap(backendView);
            }

            @Override
            public Optional<UpstreamPool> newUpstreamPool(EventLoop loop, PoolSettings poolSettings) {
                if (!eventLoops.contains(loop)) {
                    throw new IllegalArgumentException("not one of luagate's event loops: " + loop);
                }
                return poolFactory.map(factory -> remember(loop, factory.create(loop, poolSettings)));
            }

            @Override
            public Optional<io.luagate.spi.tls.TlsTerminator> tls() {
                return plugins == null ? Optional.empty() : plugins.tls();
            }
        };
        for (Extension extension : extensions) {
            extension.start(runtime);
        }
    }

    private UpstreamPool remember(EventLoop loop, UpstreamPool pool) {
        synchronized (extensionPools) {
            extensionPools.add(Map.entry(loop, pool));
        }
        return pool;
    }

    /** Stops every extension, started or not, last first, then closes the pools made for them. Idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        for (int i = extensions.size() - 1; i >= 0; i--) {
            try {
                extensions.get(i).stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping {} failed", extensions.get(i).getClass().getName(), e);
            }
        }
        List<Map.Entry<EventLoop, UpstreamPool>> pools;
        synchronized (extensionPools) {
            pools = List.copyOf(extensionPools);
            extensionPools.clear();
        }
        for (Map.Entry<EventLoop, UpstreamPool> pool : pools) {
            // A pool is confined to its loop: it is closed there.
            try {
                pool.getKey().execute(pool.getValue()::close);
            } catch (RejectedExecutionException e) {
                // The loop already stopped, and its connections with it.
            }
        }
    }
}
