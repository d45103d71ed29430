package io.luagate.kernel.proxy;

import io.luagate.kernel.config.Settings;
import io.luagate.spi.codec.Codec;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.rule.Action;
import java.util.List;

/** A running frontend: its settings, its codec, its compiled rules and its default backend. */
public final class DefaultFrontend implements Frontend {

    private final Settings.Frontend settings;
    private final Codec codec;
    private final List<Action> httpRequestRules;
    private final DefaultBackend defaultBackend;

    public DefaultFrontend(Settings.Frontend settings, Codec codec, List<Action> httpRequestRules,
                           DefaultBackend defaultBackend) {
        this.settings = settings;
        this.codec = codec;
        this.httpRequestRules = httpRequestRules;
        this.defaultBackend = defaultBackend;
    }

    public Settings.Frontend settings() {
        return settings;
    }

    public Codec codec() {
        return codec;
    }

    /** The backend used when no rule chose one; may be {@code null}. */
    public DefaultBackend defaultBackend() {
        return defaultBackend;
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public String mode() {
        return settings.mode();
    }

    @Override
    public long clientTimeoutMillis() {
        return settings.clientTimeoutMillis();
    }

    @Override
    public long httpRequestTimeoutMillis() {
        return settings.httpRequestTimeoutMillis();
    }

    @Override
    public long httpKeepAliveTimeoutMillis() {
        return settings.httpKeepAliveTimeoutMillis();
    }

    @Override
    public List<Action> httpRequestRules() {
        return httpRequestRules;
    }

    @Override
    public int maxHeaderSize() {
        return settings.maxHeaderSize();
    }
}
