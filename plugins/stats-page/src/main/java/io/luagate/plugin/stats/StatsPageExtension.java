package io.luagate.plugin.stats;

import io.luagate.spi.config.ConfigSection;
import io.luagate.spi.extension.Extension;
import io.luagate.spi.extension.ExtensionContext;
import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.proxy.StatsPageSettings;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Provides the {@code stats-page} service, which the kernel gives the requests for a frontend's
 * {@code stats-uri}, and owns the {@code stats-page} section (the node name and description the
 * page shows). Samples the session rates once a second while luagate runs.
 */
@org.pf4j.Extension
@Singleton
public final class StatsPageExtension implements Extension {

    private volatile ExtensionRuntime runtime;
    private final RateSampler rates = new RateSampler(() -> runtime.frontends(), () -> runtime.backends());
    private final StatsPageService service =
            new StatsPageService(rates, StatsPageExtension.class.getPackage().getImplementationVersion());

    @Override
    public String configSection() {
        return "stats-page";
    }

    @Override
    public String defaultsResource() {
        return "stats-page-reference.conf";
    }

    @Override
    public void configure(ExtensionContext context) {
        ConfigSection section = context.config();
        String node = section.optionalString("node");
        service.describe(node == null ? hostname() : node, section.string("description"));
        context.vocabulary().httpService(StatsPageSettings.SERVICE, service);
    }

    @Override
    public void start(ExtensionRuntime runtime) {
        this.runtime = runtime;
        service.start(runtime);
        rates.start(runtime.eventLoops().get(0));
    }

    @Override
    public void stop() {
        rates.stop();
    }

    /** HAProxy's default node name: the host's name (read from the kernel, no DNS look-up). */
    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "" : env;
        }
    }
}
