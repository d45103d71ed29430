package io.luagate.kernel;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.luagate.kernel.config.Settings;
import io.luagate.kernel.extension.Extensions;
import io.luagate.kernel.extension.KernelPatternFiles;
import io.luagate.kernel.extension.KernelSampleLibrary;
import io.luagate.kernel.extension.RunningBackends;
import io.luagate.spi.pattern.PatternFiles;
import io.luagate.spi.sample.SampleLibrary;
import io.luagate.kernel.rule.RuleLanguage;
import io.luagate.kernel.log.AccessLog;
import io.luagate.kernel.log.AsyncAccessLog;
import io.luagate.kernel.log.DiscardingAccessLog;
import io.luagate.kernel.metrics.Metrics;
import io.luagate.kernel.metrics.PrometheusExporter;
import io.luagate.kernel.net.ConnectionLimiter;
import io.luagate.kernel.net.EventLoops;
import io.luagate.kernel.plugin.Plugins;
import io.luagate.kernel.proxy.ProxyBuilder;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import io.luagate.spi.service.HttpService;

/**
 * The kernel's object graph for one generation of the configuration. Plugin extensions are
 * created by the same injector. The first generation makes the process's parts too (event loops,
 * connection limit, access log, meters, loaded plugins); a reload's generation is given them
 * ({@link Process}) and makes only what a configuration compiles to.
 */
final class KernelModule extends AbstractModule {

    /** What every generation of one process shares. */
    record Process(Plugins plugins, EventLoops loops, ConnectionLimiter limiter, AccessLog accessLog, Metrics metrics) {
    }

    private final Settings settings;
    private final Path home;
    /** {@code null} for the first generation (or a check), which makes them. */
    private final Process process;

    KernelModule(Settings settings, Path home) {
        this(settings, home, null);
    }

    KernelModule(Settings settings, Path home, Process process) {
        this.settings = settings;
        this.home = home;
        this.process = process;
    }

    @Override
    protected void configure() {
        bind(Settings.class).toInstance(settings);
        bind(RunningBackends.class).asEagerSingleton();
    }

    /*
     * The SPI services an extension may @Inject (InjectableServices.TYPES lists the same, and the
     * README's "What a plugin may inject"): the instances ExtensionContext hands out too.
     */

    @Provides
    @Singleton
    SampleLibrary sampleLibrary(RuleLanguage language, RunningBackends backends) {
        return new KernelSampleLibrary(language, home, settings.backends().keySet(), backends::get);
    }

    @Provides
    @Singleton
    PatternFiles patternFiles(RuleLanguage language) {
        return new KernelPatternFiles(language.maps());
    }

    @Provides
    @Singleton
    Plugins plugins(Injector injector) {
        if (process != null) {
            return process.plugins().forGeneration(() -> injector);
        }
        return new Plugins(settings.pluginsDir(), () -> injector);
    }

    @Provides
    @Singleton
    Metrics metrics() {
        // Shared: the counters of a name that stays across a reload go on counting.
        return process != null ? process.metrics() : new Metrics();
    }

    /** The built-in services rules can name with use-service (HAProxy's); plugins add theirs through {@link Extensions}. */
    @Provides
    @Singleton
    Map<String, HttpService> services(Metrics metrics) {
        return Map.of(PrometheusExporter.NAME, new PrometheusExporter(metrics));
    }

    @Provides
    @Singleton
    RuleLanguage ruleLanguage(Map<String, HttpService> services) {
        return RuleLanguage.builtin(home, services);
    }

    @Provides
    @Singleton
    Extensions extensions(Plugins plugins, RuleLanguage language, SampleLibrary samples, PatternFiles patterns,
                          RunningBackends backends) {
        return new Extensions(plugins, settings, language, home, samples, patterns, backends);
    }

    @Provides
    @Singleton
    ProxyBuilder proxyBuilder(Plugins plugins, Metrics metrics, RuleLanguage language, ConnectionLimiter limiter) {
        return new ProxyBuilder(settings, plugins, home, metrics, language, limiter);
    }

    @Provides
    @Singleton
    ConnectionLimiter limiter() {
        if (process != null) {
            return process.limiter();
        }
        return new ConnectionLimiter(settings.global().maxconn());
    }

    @Provides
    @Singleton
    EventLoops eventLoops() {
        if (process != null) {
            return process.loops();
        }
        return new EventLoops(settings.global().threads(), settings.global().cpuMap());
    }

    @Provides
    @Singleton
    AccessLog accessLog() {
        if (process != null) {
            return process.accessLog();
        }
        Settings.Log log = settings.log();
        return switch (log.target()) {
            case "none" -> new DiscardingAccessLog();
            case "stdout" -> new AsyncAccessLog(new FileOutputStream(FileDescriptor.out), log.queueSize());
            case "stderr" -> new AsyncAccessLog(new FileOutputStream(FileDescriptor.err), log.queueSize());
            default -> new AsyncAccessLog(open(home.resolve(log.target())), log.queueSize());
        };
    }

    private static OutputStream open(Path file) {
        try {
            return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the access log " + file, e);
        }
    }
}
