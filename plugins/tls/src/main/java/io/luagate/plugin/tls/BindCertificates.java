package io.luagate.plugin.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Loads what one TLS bind serves, from its files: its certificates (HAProxy's {@code crt} files and
 * directories, then the lines of its {@code crt-list} files), the CAs of {@code ca-file} with the
 * revocation lists of {@code crl-file}, and a context per certificate. Used at load, and again
 * by {@link CertificateReloader} when the files change. Problems go to a sink as (key, message).
 */
final class BindCertificates {

    private BindCertificates() {
    }

    /** The selector over the bind's certificates, or {@code null} after reporting a problem. */
    static CertificateSelector load(BindTlsSettings settings, List<String> alpn, SslProvider provider, Path home,
                                    BiConsumer<String, String> problems) {
        Instant now = Instant.now();
        List<ServerCertificate> certificates = new ArrayList<>();
        List<SniNames> names = new ArrayList<>();
        boolean failed = false;
        for (Path path : settings.crt()) {
            failed |= !load(path, now, problems, certificates);
        }
        while (names.size() < certificates.size()) {
            names.add(SniNames.of(certificates.get(names.size()), List.of()));
        }
        for (Path list : settings.crtLists()) {
            List<CrtList.Entry> entries;
            try {
                entries = CrtList.read(list, home);
            } catch (IOException e) {
                problems.accept("crt-list", (Files.exists(list) ? "" : list + ": ") + message(e));
                failed = true;
                continue;
            }
            if (entries.isEmpty()) {
                problems.accept("crt-list", list + ": lists no certificate");
                failed = true;
            }
            for (CrtList.Entry entry : entries) {
                try {
                    ServerCertificate certificate = ServerCertificate.load(entry.file(), now);
                    certificates.add(certificate);
                    names.add(SniNames.of(certificate, entry.filters()));
                } catch (IOException e) {
                    problems.accept("crt-list", entry.where() + ": " + entry.file() + ": " + message(e));
                    failed = true;
                }
            }
        }
        if (!failed && certificates.isEmpty()) {
            problems.accept("crt", "holds no certificate (empty director" + (settings.crt().size() > 1 ? "ies" : "y") + ")");
            failed = true;
        }
        List<X509Certificate> trusted = List.of();
        if (settings.caFile() != null) {
            trusted = TrustedCas.caFile(settings.caFile(), problems);
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
                problems.accept("crl-file", settings.crlFile() + ": " + message(e));
                failed = true;
            }
        }
        if (failed) {
            return null;
        }
        TrustManagerFactory trust = null;
        if (!trusted.isEmpty()) {
            try {
                trust = TrustedCas.factory(trusted, crls);
            } catch (GeneralSecurityException e) {
                problems.accept(crls.isEmpty() ? "ca-file" : "crl-file", "cannot be used (" + e.getMessage() + ")");
                return null;
            }
        }
        List<SslContext> contexts = new ArrayList<>(certificates.size());
        for (ServerCertificate certificate : certificates) {
            try {
                contexts.add(ServerContexts.build(certificate, settings, trust, alpn, provider));
            } catch (SSLException | IllegalArgumentException e) {
                problems.accept("crt", certificate.file() + ": the TLS engine refuses it with these settings ("
                        + e.getMessage() + ")");
                contexts.forEach(ReferenceCountUtil::release);
                return null;
            }
        }
        return new CertificateSelector(names, contexts);
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
