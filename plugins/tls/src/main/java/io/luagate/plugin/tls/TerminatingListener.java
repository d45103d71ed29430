package io.luagate.plugin.tls;

import io.luagate.spi.tls.TlsListener;
import io.netty.channel.Channel;

/** One TLS bind, compiled: its certificates by server name, shared by every connection it accepts. */
final class TerminatingListener implements TlsListener {

    private final CertificateSelector selector;
    private final long handshakeTimeoutMillis;

    TerminatingListener(CertificateSelector selector, long handshakeTimeoutMillis) {
        this.selector = selector;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    @Override
    public void install(Channel channel) {
        ServerNameRecorder sni = new ServerNameRecorder(selector, handshakeTimeoutMillis);
        channel.pipeline().addFirst("tls-handshake", new HandshakeRecorder(sni));
        channel.pipeline().addFirst("tls", sni);
    }
}
