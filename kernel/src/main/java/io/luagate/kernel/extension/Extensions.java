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
import io.luagate.spi.extension.ProcessInfo;
import io.luagate.spi.extension.ReloadResult;
import io.luagate.spi.extension.ScriptStats;
import io.luagate.spi.extension.ScriptStatsSource;
import io.luagate.spi.health.HealthChecker;
import io.luagate.spi.pattern.PatternFiles;
import io.luagate.spi.pool.PoolSettings;
import io.luagate.spi.pool.UpstreamPool;
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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loaded {@link Extension}s of one generation of the configuration through their life: each
 * is given its configuration section and the rule language to extend, then started once the
 * proxies exist, and stopped when its generation is retired or luagate stops. The codecs that read
 * a section are given theirs here too.
 *
 * <p>The first generation also configures the extensions that live for the process
 * ({@link Extension#livesForProcess()}) and hands them, started, to the {@link ProcessRuntime}.
 * A later generation ({@link #inherit}) leaves them out: their sections are only checked to be
 * unchanged.
 */
public final class Extensions {

    private static final Logger LOG = LoggerFactory.getLogger(Extensions.class);

    /** The sections shipped plugins read, by plugin: a missing plugin is named rather than the key called unknown. */
    private final List<Extension> extensions;

    /** A section a process-lived extension read once, with the plugin that reads it. */
    public record Inherited(ConfigValue value, String plugin) {
    }
    /** The codecs, configured with the extensions when they read a section ({@link Codec#configSection()}). */
    private final List<Codec> codecs;
    /** Pools made for this generation's extensions ({@link ExtensionRuntime#newUpstreamPool}), closed at stop on their loops. */
    private final ProcessRuntime.PoolList extensionPools = new ProcessRuntime.PoolList();
    /** The sections of the process-lived extensions already running (a later generation), as they were read. */
    private Map<String, Inherited> inherited = Map.of();
    /** The current generation's map and ACL files, for the process-lived extensions; {@code null} gives them this one's. */
    private Supplier<PatternFiles> currentPatterns = () -> null;
    /** The extensions started for this generation only (not handed to the process). */
    private final List<Extension> started = new ArrayList<>();
    private final Settings settings;
    private final RuleLanguage language;
    private final Path home;
    private final RunningBackends backends;
    private final SampleLibrary samples;
    private final PatternFiles patterns;
    /** The plugin of each extension, and who provides which name; {@code null} in tests without plugins. */
    private final Plugins plugins;
    private volatile boolean stopped;

    /** The extensions of {@code plugins}, given the same services extensions may {@code @Inject}. */
    public Extensions(Plugins plugins, Settings settings, RuleLanguage language, Path home, SampleLibrary samples,
                      PatternFiles patterns, RunningBackends backends) {
        this(plugins, plugins.extensions(), plugins.codecs().values(), settings, language, home, samples, patterns, backends);
    }

    /** Extensions from elsewhere than a plugins directory (a test's). */
    public Extensions(List<Extension> extensions, Collection<Codec> codecs, Settings settings, RuleLanguage language,
                      Path home) {
        this(null, extensions, codecs, settings, language, home, null, null, new RunningBackends());
    }

    private Extensions(Plugins plugins, List<Extension> extensions, Collection<Codec> codecs, Settings settings,
                       RuleLanguage language, Path home, SampleLibrary samples, PatternFiles patterns,
                       RunningBackends backends) {
        this.plugins = plugins;
        this.extensions = new ArrayList<>(extensions);
        this.codecs = List.copyOf(codecs);
        this.settings = settings;
        this.language = language;
        this.home = home;
        this.backends = backends;
        this.samples = samples != null ? samples
                : new KernelSampleLibrary(language, home, settings.backends().keySet(), backends::get);
        this.patterns = patterns != null ? patterns : new KernelPatternFiles(language.maps());
    }

    /**
     * Makes this a later generation's: the extensions that live for the process are already
     * running (their sections, as read then, are {@code running}), so they are left out here, and
     * a configuration that changes one of their sections is refused.
     */
    public void inherit(Map<String, Inherited> running) {
        extensions.removeIf(Extension::livesForProcess);
        this.inherited = Map.copyOf(running);
    }

    /**
     * Where the extensions that live for the process find the current generation's map and ACL
     * files ({@link ExtensionContext#patterns()} answers for the generation current at each call).
     */
    public void currentPatterns(Supplier<PatternFiles> current) {
        this.currentPatterns = current;
    }

    /** This generation's map and ACL files. */
    public PatternFiles patterns() {
        return patterns;
    }

    /** The sections of this generation's process-lived extensions, for later generations to {@link #inherit}. */
    public Map<String, Inherited> processSections() {
        Map<String, Inherited> sections = new LinkedHashMap<>(inherited);
        for (Extension extension : extensions) {
            if (extension.livesForProcess() && extension.configSection() != null) {
                String plugin = plugins == null ? extension.getClass().getName() : plugins.owner(extension);
                sections.put(extension.configSection(), new Inherited(settings.pluginSections().get(extension.configSection()),
                        plugin));
            }
        }
        return sections;
    }

    /**
     * Configures every extension; their problems, and those of sections no extension reads, are
     * added to {@code problems}.
     */
    public void configure(boolean checkOnly, Problems problems) {
        Map<String, ConfigValue> unclaimed = new LinkedHashMap<>(settings.pluginSections());
        inherited.forEach((name, was) -> {
            ConfigValue now = unclaimed.remove(name);
            if (!Objects.equals(now, was.value())) {
                problems.add(new ConfigProblem(now != null ? now.origin().description() : settings.source(), name,
                        "cannot change by a reload: plugin '" + was.plugin() + "' reads it once and runs for the whole"
                                + " process; restart luagate to change it"));
            }
        });
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
            PatternFiles files = extension.livesForProcess() ? new CurrentPatternFiles(currentPatterns, patterns) : patterns;
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
                    return files;
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
                ShippedSections.plugin(key) != null
                        ? "needs the plugin '" + ShippedSections.plugin(key) + "', which is not installed in "
                                + settings.pluginsDir()
                        : "unknown key: neither the kernel nor an installed plugin reads it (plugins read "
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

    /**
     * Starts every extension; the first failure stops the ones already started and is thrown.
     * Those of this generation get a runtime showing this generation's proxies; those that live
     * for the process are handed to {@code process}, which starts and later stops them.
     */
    public void start(EventLoops loops, Proxies proxies, ProcessRuntime process) {
        backends.publish(proxies.backends());
        Map<String, Frontend> frontends = Collections.unmodifiableMap(new LinkedHashMap<>(proxies.frontends()));
        Map<String, Backend> backendView = Collections.unmodifiableMap(new LinkedHashMap<>(proxies.backends()));
        ExtensionRuntime runtime = new ExtensionRuntime() {
            @Override
            public List<EventLoop> eventLoops() {
                return process.eventLoops();
            }

            @Override
            public Map<String, Frontend> frontends() {
                return frontends;
            }

            @Override
            public Map<String, Backend> backends() {
                return backendView;
            }

            @Override
            public long generation() {
                return process.generation();
            }

            @Override
            public ReloadResult reload() {
                return process.reload();
            }

            @Override
            public CompletionStage<ReloadResult> reloadAsync() {
                return process.reloadAsync();
            }

            @Override
            public Optional<UpstreamPool> newUpstreamPool(EventLoop loop, PoolSettings poolSettings) {
                return process.newPool(loop, poolSettings, extensionPools);
            }

            @Override
            public ProcessInfo process() {
                return process.process();
            }

            @Override
            public ScriptStats scriptStats() {
                return Extensions.this.scriptStats();
            }

            @Override
            public Optional<io.luagate.spi.tls.TlsTerminator> tls() {
                return Extensions.this.tls();
            }
        };
        for (Extension extension : extensions) {
            if (extension.livesForProcess()) {
                process.adopt(extension);
            } else {
                synchronized (this) {
                    started.add(extension);
                }
                extension.start(runtime);
            }
        }
    }

    /** This generation's TLS plugin, which compiled its binds; empty without one (or in tests without plugins). */
    public Optional<io.luagate.spi.tls.TlsTerminator> tls() {
        return plugins == null ? Optional.empty() : plugins.tls();
    }

    /** The health checkers this generation started (not those that live for the process). */
    public synchronized List<HealthChecker> healthCheckers() {
        List<HealthChecker> checkers = new ArrayList<>();
        for (Extension extension : started) {
            if (extension instanceof HealthChecker checker) {
                checkers.add(checker);
            }
        }
        return checkers;
    }

    /** The figures of every extension that runs scripts ({@link ScriptStatsSource}), in one report. */
    public ScriptStats scriptStats() {
        ScriptStats all = ScriptStats.EMPTY;
        for (Extension extension : extensions) {
            if (extension instanceof ScriptStatsSource source) {
                all = all.plus(source.scriptStats());
            }
        }
        return all;
    }

    /**
     * Stops this generation's own extensions, last first, and closes the pools made for them: the
     * generation is retired. The process-lived ones go on. Idempotent.
     */
    public void retire() {
        List<Extension> mine;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            mine = List.copyOf(started);
        }
        stopAll(mine);
        extensionPools.close();
    }

    /** Stops every extension, started or not, last first, then closes the pools made for them. Idempotent. */
    public void stop() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        stopAll(extensions);
        extensionPools.close();
    }

    private static void stopAll(List<Extension> list) {
        for (int i = list.size() - 1; i >= 0; i--) {
            try {
                list.get(i).stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping {} failed", list.get(i).getClass().getName(), e);
            }
        }
    }
}
