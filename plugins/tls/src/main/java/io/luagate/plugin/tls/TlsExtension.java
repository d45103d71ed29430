package io.luagate.plugin.tls;

import io.luagate.spi.config.ConfigSection;
import io.luagate.spi.extension.Extension;
import io.luagate.spi.extension.ExtensionContext;
import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.tls.TlsBindContext;
import io.luagate.spi.tls.TlsListener;
import io.luagate.spi.tls.TlsTerminator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
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
    }

    @Override
    public void stop() {
    }

    @Override
    public TlsListener bind(ConfigSection bind, TlsBindContext context) {
        BindTlsSettings settings = BindTlsSettings.read(bind, context.home());
        if (settings == null) {
            return null;
        }
        Instant now = Instant.now();
        List<ServerCertificate> certificates = new ArrayList<>();
        boolean failed = false;
        for (Path path : settings.crt()) {
            failed |= !load(path, now, bind, certificates);
        }
        if (!failed && certificates.isEmpty()) {
            bind.problem("crt", "holds no certificate (empty director" + (settings.crt().size() > 1 ? "ies" : "y") + ")");
            failed = true;
        }
        List<X509Certificate> trusted = List.of();
        if (settings.caFile() != null) {
            try {
                trusted = PemFile.read(settings.caFile()).certificates();
                if (trusted.isEmpty()) {
                    bind.problem("ca-file", settings.caFile() + ": holds no certificate");
                    failed = true;
                }
            } catch (IOException e) {
                bind.problem("ca-file", settings.caFile() + ": " + message(e));
                failed = true;
            }
        }
        if (failed) {
            return null;
        }
        List<String> alpn = offered(settings.alpn(), context, bind);
        SslProvider provider = engine.provider();
        logEngine(provider);
        List<SslContext> contexts = new ArrayList<>(certificates.size());
        for (ServerCertificate certificate : certificates) {
            try {
                contexts.add(ServerContexts.build(certificate, settings, trusted, alpn, provider));
            } catch (SSLException | IllegalArgumentException e) {
                bind.problem("crt", certificate.file() + ": the TLS engine refuses it with these settings ("
                        + e.getMessage() + ")");
                return null;
            }
        }
        return new TerminatingListener(new CertificateSelector(certificates, contexts), context.handshakeTimeoutMillis());
    }

    /**
     * Loads {@code path}: a PEM file, or every file of a directory in name order (as HAProxy's
     * {@code crt <dir>}, skipping hidden files and the {@code .key}, {@code .issuer}, {@code .ocsp}
     * and {@code .sctl} companions). Returns false after recording a problem.
     */
    private static boolean load(Path path, Instant now, ConfigSection bind, List<ServerCertificate> into) {
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> list = Files.list(path)) {
                files = list.filter(Files::isRegularFile)
                        .filter(f -> !f.getFileName().toString().startsWith("."))
                        .filter(f -> !f.getFileName().toString().matches(".*\\.(key|issuer|ocsp|sctl)"))
                        .sorted().toList();
            } catch (IOException e) {
                bind.problem("crt", path + ": " + message(e));
                return false;
            }
            boolean ok = true;
            for (Path file : files) {
                ok &= load(file, now, bind, into);
            }
            return ok;
        }
        if (!Files.exists(path)) {
            bind.problem("crt", path + ": no such file or directory");
            return false;
        }
        try {
            into.add(ServerCertificate.load(path, now));
            return true;
        } catch (IOException e) {
            bind.problem("crt", path + ": " + message(e));
            return false;
        }
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

    private static String message(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage();
    }
}
