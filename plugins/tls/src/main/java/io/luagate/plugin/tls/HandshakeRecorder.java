package io.luagate.plugin.tls;

import io.luagate.spi.tls.TlsSession;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits behind the TLS handler until the handshake ends: then leaves the connection's
 * {@link TlsSession} on the channel and steps aside. Until then, an error (bytes that are no TLS,
 * a failed handshake, a ClientHello that never comes) closes the connection quietly: the codec
 * behind never saw a byte of it.
 */
final class HandshakeRecorder extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeRecorder.class);

    private final ServerNameRecorder serverName;

    HandshakeRecorder(ServerNameRecorder serverName) {
        this.serverName = serverName;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent completion) {
            if (completion.isSuccess()) {
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                ctx.channel().attr(TlsSession.ATTRIBUTE).set(facts(ssl));
                ctx.pipeline().remove(this);
            } else {
                LOG.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), completion.cause().toString());
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("TLS error before the handshake ended, from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private TlsSession facts(SslHandler ssl) {
        SSLSession session = ssl.engine().getSession();
        X509Certificate client = null;
        try {
            Certificate[] peer = session.getPeerCertificates();
            if (peer.length > 0 && peer[0] instanceof X509Certificate x509) {
                client = x509;
            }
        } catch (SSLPeerUnverifiedException e) {
            // No client certificate.
        }
        String cipher = session.getCipherSuite();
        // TLS 1.3 suites have one name everywhere (BoringSSL's own AEAD-... names are not OpenSSL's).
        String openSsl = cipher.startsWith("TLS_") && BindTlsSettings.TLS13_SUITES.contains(cipher) ? cipher
                : CipherSuiteConverter.toOpenSsl(cipher, false);
        return new HandshakeFacts(serverName.hostname(), session.getProtocol(), openSsl != null ? openSsl : cipher,
                ssl.applicationProtocol(), client, 0);
    }
}
