package io.luagate.plugin.tls;

import io.luagate.spi.tls.TlsListener;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.ArrayDeque;

/**
 * One TLS bind, compiled: its certificates by server name, shared by every connection it accepts.
 * The certificates may be replaced while it runs ({@link CertificateReloader}); a connection keeps
 * those it started with.
 */
final class TerminatingListener implements TlsListener {

    /**
     * How long replaced certificates stay allocated: an event loop may have read the selector just
     * before the replacement and be about to open an engine on one of its contexts.
     */
    static final long RETIRE_NANOS = 5_000_000_000L;

    private volatile CertificateSelector selector;
    private final long handshakeTimeoutMillis;
    private final boolean clientCertificates;
    /** Replaced selectors, oldest first, with when they were replaced; released by {@link #releaseRetired}. */
    private final ArrayDeque<Retired> retired = new ArrayDeque<>();
    private boolean closed;

    private record Retired(CertificateSelector selector, long sinceNanos) {
    }

    TerminatingListener(CertificateSelector selector, long handshakeTimeoutMillis, boolean clientCertificates) {
        this.selector = selector;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.clientCertificates = clientCertificates;
    }

    /** New connections get {@code next}'s certificates from now on; the previous ones are released later. */
    synchronized void replace(CertificateSelector next) {
        if (closed) {
            next.release();
            return;
        }
        retired.add(new Retired(selector, System.nanoTime()));
        this.selector = next;
    }

    /** Releases the certificates replaced at least {@link #RETIRE_NANOS} ago. */
    synchronized void releaseRetired(long nowNanos) {
        while (!retired.isEmpty() && nowNanos - retired.peek().sinceNanos() >= RETIRE_NANOS) {
            retired.poll().selector().release();
        }
    }

    /** The certificates new connections get. */
    CertificateSelector selector() {
        return selector;
    }

    /** Replaced certificates not released yet (tests). */
    synchronized int retiredCount() {
        return retired.size();
    }

    @Override
    public void install(Channel channel) {
        CertificateSelector current = selector;
        SslContext only = current.only();
        if (only != null) {
            // One certificate: nothing to choose, so no ClientHello is parsed ahead of the engine
            // (the server name is read from the session once the handshake is done).
            SslHandler ssl = only.newHandler(channel.alloc());
            ssl.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
            channel.pipeline().addFirst("tls-handshake", new HandshakeRecorder(null, clientCertificates));
            channel.pipeline().addFirst("tls", ssl);
            return;
        }
        ServerNameRecorder sni = new ServerNameRecorder(current, handshakeTimeoutMillis);
        channel.pipeline().addFirst("tls-handshake", new HandshakeRecorder(sni, clientCertificates));
        channel.pipeline().addFirst("tls", sni);
    }

    /** Releases every context; connections still open keep theirs until they end. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!retired.isEmpty()) {
            retired.poll().selector().release();
        }
        selector.release();
    }
}
