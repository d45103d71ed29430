package io.luagate.plugin.tls;

import io.luagate.spi.config.ConfigSection;
import io.luagate.spi.extension.Extension;
import io.luagate.spi.extension.ExtensionContext;
import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.tls.TlsBindContext;
import io.luagate.spi.tls.TlsListener;
import io.luagate.spi.tls.TlsTerminator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code tls} section (the engine) and TLS on binds: each {@code ssl = true} bind's keys are
 * read here, its certificates loaded and checked, its contexts built. One instance serves both
 * roles (a singleton), so the binds use the engine the section chose.
 */
@org.pf4j.Extension
@Singleton
public final class TlsExtension implements Extension, TlsTerminator {

    private static final Logger LOG = LoggerFactory.getLogger(TlsExtension.class);

    private volatile TlsEngine engine = TlsEngine.AUTO;
    private volatile long reloadIntervalMillis;
    private final CertificateReloader reloader = new CertificateReloader();
    private volatile boolean engineLogged;

    @Override
    public String configSection() {
        return "tls";
    }

    @Override
    public String defaultsResource() {
        return "tls-reference.conf";
    }

    @Override
    public void configure(ExtensionContext context) {
        ConfigSection section = context.config();
        reloadIntervalMillis = section.millis("reload-interval", Duration.ZERO, Duration.ofDays(1));
        String text = section.string("engine");
        try {
            engine = TlsEngine.parse(text);
        } catch (IllegalArgumentException e) {
            section.problem("engine", e.getMessage());
            return;
        }
        if (engine == TlsEngine.OPENSSL && !TlsEngine.openSslAvailable()) {
            section.problem("engine", "openssl cannot load here (" + OpenSsl.unavailabilityCause()
                    + "); use auto or jdk");
        }
    }

    /** The engine, as {@code tls.engine} sets it; for tests that run both. */
    void engine(TlsEngine engine) {
        this.engine = engine;
    }

    @Override
    public void start(ExtensionRuntime runtime) {
        reloader.start(reloadIntervalMillis);
    }

    @Override
    public void stop() {
        reloader.stop();
    }

    /** Checks the certificate files for changes now (tests; the reloader's timer does it in service). */
    void reloadChangedCertificates() {
        reloader.checkNow();
    }

    @Override
    public TlsListener bind(ConfigSection bind, TlsBindContext context) {
        BindTlsSettings settings = BindTlsSettings.read(bind, context.home());
        if (settings == null) {
            return null;
        }
        List<String> alpn = offered(settings.alpn(), context, bind);
        SslProvider provider = engine.provider();
        logEngine(provider);
        // Taken before the load: a change while loading is seen at the next check.
        String fingerprint = CertificateReloader.fingerprint(settings);
        CertificateSelector selector = BindCertificates.load(settings, alpn, provider, bind::problem);
        if (selector == null) {
            return null;
        }
        TerminatingListener listener = new TerminatingListener(selector, context.handshakeTimeoutMillis(),
                settings.verify() != ClientAuth.NONE);
        reloader.watch(bind.location("address") + ": frontend " + context.frontend(), settings, alpn, provider,
                listener, fingerprint);
        return listener;
    }

    /**
     * The protocols of {@code alpn} the frontend's codec speaks, in the bind's order; what is left
     * out is named in one warning (HTTP/2 is not served yet).
     */
    private static List<String> offered(List<String> alpn, TlsBindContext context, ConfigSection bind) {
        if (context.applicationProtocols().isEmpty()) {
            return alpn;
        }
        List<String> offered = alpn.stream().filter(context.applicationProtocols()::contains).toList();
        List<String> left = alpn.stream().filter(p -> !context.applicationProtocols().contains(p)).toList();
        if (!left.isEmpty()) {
            LOG.warn("{}: frontend {}: alpn {} not offered: this frontend speaks only {}{}", bind.location("alpn"),
                    context.frontend(), left, context.applicationProtocols(),
                    offered.isEmpty() ? " (so no ALPN is offered at all)" : "");
        }
        return offered;
    }

    private void logEngine(SslProvider provider) {
        if (!engineLogged) {
            engineLogged = true;
            LOG.info("TLS engine: {} (tls.engine = {})", provider == SslProvider.OPENSSL
                    ? OpenSsl.versionString() : "JDK " + Runtime.version(), engine.name().toLowerCase());
        }
    }
}
