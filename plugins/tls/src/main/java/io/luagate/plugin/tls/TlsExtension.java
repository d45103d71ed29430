package io.luagate.plugin.tls;

import io.luagate.spi.config.ConfigSection;
import io.luagate.spi.extension.Extension;
import io.luagate.spi.extension.ExtensionContext;
import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.tls.CertificateReload;
import io.luagate.spi.tls.TlsBindContext;
import io.luagate.spi.tls.TlsListener;
import io.luagate.spi.tls.TlsOrigin;
import io.luagate.spi.tls.TlsOriginContext;
import io.luagate.spi.tls.TlsTerminator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLException;
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

    @Override
    public CertificateReload reloadCertificates() {
        return reloader.reloadAll();
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
        List<String> alpn = offered(settings.alpn(), context.applicationProtocols(), bind,
                "frontend " + context.frontend(), "");
        SslProvider provider = engine.provider();
        logEngine(provider);
        // Taken before the load: a change while loading is seen at the next check.
        String fingerprint = CertificateReloader.fingerprint(settings, context.home());
        CertificateSelector selector = BindCertificates.load(settings, alpn, provider, context.home(), bind::problem);
        if (selector == null) {
            return null;
        }
        TerminatingListener listener = new TerminatingListener(selector, context.handshakeTimeoutMillis(),
                settings.verify() != ClientAuth.NONE);
        reloader.watch(bind.location("address") + ": frontend " + context.frontend(), settings, alpn, provider,
                listener, context.home(), fingerprint);
        return listener;
    }

    @Override
    public TlsOrigin origin(ConfigSection server, TlsOriginContext context) {
        OriginSettings settings = OriginSettings.read(server, context.home());
        if (settings == null) {
            return null;
        }
        boolean failed = false;
        List<X509Certificate> trusted = List.of();
        if (settings.caFile() != null) {
            trusted = TrustedCas.caFile(settings.caFile(), server::problem);
            if (trusted == null) {
                trusted = List.of();
                failed = true;
            }
        }
        List<X509CRL> crls = List.of();
        if (settings.crlFile() != null) {
            try {
                crls = TrustedCas.crls(settings.crlFile());
            } catch (IOException e) {
                server.problem("crl-file", settings.crlFile() + ": " + BindCertificates.message(e));
                failed = true;
            }
        }
        ServerCertificate client = null;
        if (settings.crt() != null) {
            try {
                if (Files.isDirectory(settings.crt())) {
                    throw new IOException("is a directory: a server's crt is one PEM file (certificate, chain and key)");
                }
                client = ServerCertificate.load(settings.crt(), Instant.now());
            } catch (IOException e) {
                server.problem("crt", settings.crt() + ": " + BindCertificates.message(e));
                failed = true;
            }
        }
        if (failed) {
            return null;
        }
        List<String> alpn = offered(settings.alpn(), context.applicationProtocols(), server,
                "backend " + context.backend() + " server " + context.server(), "to servers");
        SslProvider provider = engine.provider();
        logEngine(provider);
        try {
            return new ConnectingOrigin(OriginContexts.build(settings, trusted, crls, client, alpn, provider),
                    context.address(), context.handshakeTimeoutMillis());
        } catch (SSLException | GeneralSecurityException | IllegalArgumentException e) {
            server.problem(settings.crt() != null ? "crt" : "ssl", "the TLS engine refuses these settings ("
                    + e.getMessage() + ")");
            return null;
        }
    }

    /**
     * The protocols of {@code alpn} the frontend's codec speaks, in the bind's order; what is left
     * out is named in one warning (HTTP/2 is not served yet).
     */
    private static List<String> offered(List<String> alpn, List<String> spoken, ConfigSection section,
                                        String who, String direction) {
        if (spoken.isEmpty()) {
            return alpn;
        }
        List<String> offered = alpn.stream().filter(spoken::contains).toList();
        List<String> left = alpn.stream().filter(p -> !spoken.contains(p)).toList();
        if (!left.isEmpty()) {
            LOG.warn("{}: {}: alpn {} not offered: this {} speaks only {}{}{}", section.location("alpn"),
                    who, left, who.substring(0, who.indexOf(' ')), spoken, direction.isEmpty() ? "" : " " + direction,
                    offered.isEmpty() ? " (so no ALPN is offered at all)" : "");
        }
        return offered;
    }

    @Override
    public String engine() {
        return describe(engine.provider()) + " (tls.engine = " + engine.name().toLowerCase() + ")";
    }

    private static String describe(SslProvider provider) {
        return provider != SslProvider.JDK ? OpenSsl.versionString() : "JDK " + Runtime.version();
    }

    private void logEngine(SslProvider provider) {
        if (!engineLogged) {
            engineLogged = true;
            LOG.info("TLS engine: {} (tls.engine = {})", describe(provider), engine.name().toLowerCase());
        }
    }
}
