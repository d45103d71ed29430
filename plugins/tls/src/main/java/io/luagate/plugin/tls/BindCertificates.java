package io.luagate.plugin.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;

/**
 * Loads what one TLS bind serves, from its files: its certificates (HAProxy's {@code crt} files and
 * directories), the CAs of {@code ca-file}, and a context per certificate. Used at load, and again
 * by {@link CertificateReloader} when the files change. Problems go to a sink as (key, message).
 */
final class BindCertificates {

    private BindCertificates() {
    }

    /** The selector over the bind's certificates, or {@code null} after reporting a problem. */
    static CertificateSelector load(BindTlsSettings settings, List<String> alpn, SslProvider provider,
                                    BiConsumer<String, String> problems) {
        Instant now = Instant.now();
        List<ServerCertificate> certificates = new ArrayList<>();
        boolean failed = false;
        for (Path path : settings.crt()) {
            failed |= !load(path, now, problems, certificates);
        }
        if (!failed && certificates.isEmpty()) {
            problems.accept("crt", "holds no certificate (empty director" + (settings.crt().size() > 1 ? "ies" : "y") + ")");
            failed = true;
        }
        List<X509Certificate> trusted = List.of();
        if (settings.caFile() != null) {
            try {
                trusted = PemFile.read(settings.caFile()).certificates();
                if (trusted.isEmpty()) {
                    problems.accept("ca-file", settings.caFile() + ": holds no certificate");
                    failed = true;
                }
            } catch (IOException e) {
                problems.accept("ca-file", settings.caFile() + ": " + message(e));
                failed = true;
            }
        }
        if (failed) {
            return null;
        }
        List<SslContext> contexts = new ArrayList<>(certificates.size());
        for (ServerCertificate certificate : certificates) {
            try {
                contexts.add(ServerContexts.build(certificate, settings, trusted, alpn, provider));
            } catch (SSLException | IllegalArgumentException e) {
                problems.accept("crt", certificate.file() + ": the TLS engine refuses it with these settings ("
                        + e.getMessage() + ")");
                contexts.forEach(ReferenceCountUtil::release);
                return null;
            }
        }
        return new CertificateSelector(certificates, contexts);
    }

    /**
     * The files {@code crt} names now: each file as written, and every file of each directory in
     * name order (as HAProxy's {@code crt <dir>}, skipping hidden files and the {@code .key},
     * {@code .issuer}, {@code .ocsp} and {@code .sctl} companions).
     */
    static List<Path> files(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> list = Files.list(path)) {
            return list.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(f -> !f.getFileName().toString().matches(".*\\.(key|issuer|ocsp|sctl)"))
                    .sorted().toList();
        }
    }

    /** Loads {@code path}, a PEM file or a directory of them; returns false after reporting a problem. */
    private static boolean load(Path path, Instant now, BiConsumer<String, String> problems, List<ServerCertificate> into) {
        if (!Files.exists(path)) {
            problems.accept("crt", path + ": no such file or directory");
            return false;
        }
        List<Path> files;
        try {
            files = files(path);
        } catch (IOException e) {
            problems.accept("crt", path + ": " + message(e));
            return false;
        }
        boolean ok = true;
        for (Path file : files) {
            try {
                into.add(ServerCertificate.load(file, now));
            } catch (IOException e) {
                problems.accept("crt", file + ": " + message(e));
                ok = false;
            }
        }
        return ok;
    }

    static String message(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage();
    }
}
