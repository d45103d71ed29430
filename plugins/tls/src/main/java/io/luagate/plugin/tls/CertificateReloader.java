package io.luagate.plugin.tls;

import io.luagate.spi.tls.CertificateReload;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a bind's certificates when their files change (crt, crt-list and the files it lists,
 * ca-file, crl-file), without a restart ({@code
 * tls.reload-interval}): a thread of its own (never an event loop) compares the files' sizes and
 * modification times at each interval and, on a change, loads the bind again. New connections get
 * the new certificates; open ones keep theirs. A change that does not load (a key written before
 * its certificate, a mismatch) keeps the certificates in service and is logged, and is tried again
 * at the next change.
 */
final class CertificateReloader {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

    /** One TLS bind and the state of its files when it was last loaded. */
    private static final class Watched {
        final String where;
        final BindTlsSettings settings;
        final List<String> alpn;
        final SslProvider provider;
        final TerminatingListener listener;
        final Path home;
        String fingerprint;

        Watched(String where, BindTlsSettings settings, List<String> alpn, SslProvider provider,
                TerminatingListener listener, Path home, String fingerprint) {
            this.where = where;
            this.settings = settings;
            this.alpn = alpn;
            this.provider = provider;
            this.listener = listener;
            this.home = home;
            this.fingerprint = fingerprint;
        }
    }

    private final List<Watched> binds = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService timer;

    /** Watches {@code listener}'s files; {@code fingerprint} is theirs from before its load. */
    void watch(String where, BindTlsSettings settings, List<String> alpn, SslProvider provider,
               TerminatingListener listener, Path home, String fingerprint) {
        binds.add(new Watched(where, settings, alpn, provider, listener, home, fingerprint));
    }

    synchronized void start(long intervalMillis) {
        if (intervalMillis <= 0 || timer != null || binds.isEmpty()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "luagate-tls-reload");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::checkNow, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    /** Compares every bind's files with their last state and loads again those that changed. */
    synchronized void checkNow() {
        long nanos = System.nanoTime();
        for (Watched bind : binds) {
            bind.listener.releaseRetired(nanos);
        }
        for (Watched bind : binds) {
            String now = fingerprint(bind.settings, bind.home);
            if (now.equals(bind.fingerprint)) {
                continue;
            }
            bind.fingerprint = now;
            List<String> problems = new ArrayList<>();
            CertificateSelector selector = BindCertificates.load(bind.settings, bind.alpn, bind.provider, bind.home,
                    (key, message) -> problems.add(key + ": " + message));
            if (selector == null) {
                LOG.warn("{}: the certificates changed but cannot be loaded, the previous ones stay in service: {}",
                        bind.where, String.join("; ", problems));
            } else {
                bind.listener.replace(selector);
                LOG.info("{}: certificates reloaded", bind.where);
            }
        }
    }

    /**
     * Loads every bind again now, changed or not (an admin API's request): the binds that load
     * serve the new certificates, the others keep theirs and are named in the answer.
     */
    synchronized CertificateReload reloadAll() {
        List<String> problems = new ArrayList<>();
        int reloaded = 0;
        long nanos = System.nanoTime();
        for (Watched bind : binds) {
            // Without a reload-interval no timer does it: contexts retired long enough go here.
            bind.listener.releaseRetired(nanos);
        }
        for (Watched bind : binds) {
            String now = fingerprint(bind.settings, bind.home);
            List<String> found = new ArrayList<>();
            CertificateSelector selector = BindCertificates.load(bind.settings, bind.alpn, bind.provider, bind.home,
                    (key, message) -> found.add(key + ": " + message));
            if (selector == null) {
                problems.add(bind.where + ": " + String.join("; ", found));
                LOG.warn("{}: the certificates cannot be loaded, the previous ones stay in service: {}",
                        bind.where, String.join("; ", found));
            } else {
                bind.fingerprint = now;
                bind.listener.replace(selector);
                reloaded++;
                LOG.info("{}: certificates reloaded on request", bind.where);
            }
        }
        return new CertificateReload(binds.size(), reloaded, problems);
    }

    /** Size and modification time of every file the bind reads, and the names of its directories' files. */
    static String fingerprint(BindTlsSettings settings, Path home) {
        StringBuilder out = new StringBuilder();
        List<Path> paths = new ArrayList<>(settings.crt());
        for (Path list : settings.crtLists()) {
            paths.add(list);
            try {
                for (CrtList.Entry entry : CrtList.read(list, home)) {
                    paths.add(entry.file());
                }
            } catch (IOException e) {
                out.append(list).append(" unreadable;");
            }
        }
        if (settings.caFile() != null) {
            paths.add(settings.caFile());
        }
        if (settings.crlFile() != null) {
            paths.add(settings.crlFile());
        }
        for (Path path : paths) {
            try {
                for (Path file : BindCertificates.files(path)) {
                    stamp(out, file);
                    stamp(out, file.resolveSibling(file.getFileName() + ".key"));
                }
            } catch (IOException e) {
                out.append(path).append(" unreadable;");
            }
        }
        return out.toString();
    }

    private static void stamp(StringBuilder out, Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            out.append(file).append(' ').append(attributes.size()).append(' ')
                    .append(attributes.lastModifiedTime().toMillis()).append(';');
        } catch (IOException e) {
            out.append(file).append(" -;");
        }
    }
}
