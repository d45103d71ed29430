package io.luagate.plugin.tls;

import io.luagate.spi.tls.TlsSession;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Locale;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits between the TLS handler and the codec until the handshake ends. The codec sees the
 * connection become active only then, with its {@link TlsSession} already on the channel: as in
 * HAProxy, whose stream starts once the transport is ready, its timers start after the handshake
 * (which has its own) and its first rules can read {@code ssl_fc_sni}. Until then, this handler
 * asks for the reads the handshake needs, and an error (bytes that are no TLS, a failed handshake,
 * a ClientHello that never comes) closes the connection quietly: the codec never saw a byte of it.
 */
final class HandshakeRecorder extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeRecorder.class);

    /** The handler that chose the certificate by the server name; {@code null} on a bind with one certificate. */
    private final ServerNameRecorder serverName;
    /** Whether the bind asks for client certificates: without, there is none to look for (and no exception to pay for). */
    private final boolean clientCertificates;
    /** Application data decoded before the completion event reached us, for the codec once it is active. */
    private final ArrayDeque<Object> early = new ArrayDeque<>(1);

    HandshakeRecorder(ServerNameRecorder serverName, boolean clientCertificates) {
        this.serverName = serverName;
        this.clientCertificates = clientCertificates;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Held back until the handshake is done; the codec would have asked for the first read.
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        early.add(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // The handshake reads until it is done (SslHandler asks for more as it needs them).
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent completion) {
            if (completion.isSuccess()) {
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                ctx.channel().attr(TlsSession.ATTRIBUTE).set(facts(ssl));
                // Taken out first: removing this handler releases what it still holds.
                ArrayDeque<Object> data = new ArrayDeque<>(early);
                early.clear();
                ctx.pipeline().remove(this);
                ctx.fireChannelActive();
                ctx.fireUserEventTriggered(event);
                if (!data.isEmpty()) {
                    while (!data.isEmpty()) {
                        ctx.fireChannelRead(data.poll());
                    }
                    ctx.fireChannelReadComplete();
                }
            } else {
                LOG.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), completion.cause().toString());
                releaseEarly();
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseEarly();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseEarly();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("TLS error before the handshake ended, from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        releaseEarly();
        ctx.close();
    }

    private void releaseEarly() {
        while (!early.isEmpty()) {
            ReferenceCountUtil.release(early.poll());
        }
    }

    /** The server name the client sent, as the engine kept it; lower case, as the SNI handler gives it. */
    private static String requestedName(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName().toLowerCase(Locale.ROOT);
                }
            }
        }
        return null;
    }

    private TlsSession facts(SslHandler ssl) {
        SSLSession session = ssl.engine().getSession();
        X509Certificate client = null;
        if (clientCertificates) {
            try {
                Certificate[] peer = session.getPeerCertificates();
                if (peer.length > 0 && peer[0] instanceof X509Certificate x509) {
                    client = x509;
                }
            } catch (SSLPeerUnverifiedException e) {
                // No client certificate (verify optional).
            }
        }
        return new HandshakeFacts(serverName != null ? serverName.hostname() : requestedName(session), session.getProtocol(),
                HandshakeFacts.openSslCipher(session.getCipherSuite()), ssl.applicationProtocol(), client, 0);
    }
}
