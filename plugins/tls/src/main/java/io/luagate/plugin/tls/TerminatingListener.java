package io.luagate.plugin.tls;

import io.luagate.spi.tls.TlsListener;
import io.netty.channel.Channel;

/**
 * One TLS bind, compiled: its certificates by server name, shared by every connection it accepts.
 * The certificates may be replaced while it runs ({@link CertificateReloader}); a connection keeps
 * those it started with.
 */
final class TerminatingListener implements TlsListener {

    private volatile CertificateSelector selector;
    private final long handshakeTimeoutMillis;
    private final boolean clientCertificates;

    TerminatingListener(CertificateSelector selector, long handshakeTimeoutMillis, boolean clientCertificates) {
        this.selector = selector;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.clientCertificates = clientCertificates;
    }

    /** New connections get {@code next}'s certificates from now on. */
    void replace(CertificateSelector next) {
        this.selector = next;
    }

    @Override
    public void install(Channel channel) {
        ServerNameRecorder sni = new ServerNameRecorder(selector, handshakeTimeoutMillis);
        channel.pipeline().addFirst("tls-handshake", new HandshakeRecorder(sni, clientCertificates));
        channel.pipeline().addFirst("tls", sni);
    }
}
