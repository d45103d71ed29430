package io.luagate.plugin.stats;

import io.luagate.spi.config.ConfigSection;
import io.luagate.spi.extension.Extension;
import io.luagate.spi.extension.ExtensionContext;
import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.proxy.StatsPageSettings;
import jakarta.inject.Singleton;

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
    private final StatsPageService service = new StatsPageService(rates);

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
        service.describe(section.optionalString("node"), section.string("description"));
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
}
