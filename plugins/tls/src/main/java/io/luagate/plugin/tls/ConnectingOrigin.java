package io.luagate.plugin.tls;

import io.luagate.spi.tls.TlsOrigin;
import io.luagate.spi.tls.TlsSession;
import io.netty.channel.Channel;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * One server's TLS, compiled: a client context shared by every connection to it. The name sent
 * (SNI) is chosen per connection; with verification on, the certificate is checked against it, or
 * against {@code verifyhost} when none is sent (see {@link ServerNameCheck}).
 */
final class ConnectingOrigin implements TlsOrigin {

    private final SslContext context;
    /**
     * What the engine is opened on when no SNI is sent: the server's address as a literal, which
     * neither engine sends as SNI (OpenSSL sends any host name it is given), and which {@link
     * ServerNameCheck} takes for "no SNI".
     */
    private final String address;
    private final int port;
    private final long handshakeTimeoutMillis;

    ConnectingOrigin(SslContext context, InetSocketAddress server, long handshakeTimeoutMillis) {
        this.context = context;
        this.address = server.getAddress() != null ? server.getAddress().getHostAddress() : null;
        this.port = server.getPort();
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    /** The context every connection's engine is opened on (tests). */
    SslContext context() {
        return context;
    }

    @Override
    public Future<Channel> handshake(Channel channel, String serverName) {
        if (!channel.isActive()) {
            // An engine made for a channel already closed would never be released: its pipeline has
            // been torn down, so the handler's removal (which releases the engine) never comes.
            return channel.eventLoop().newFailedFuture(new ClosedChannelException());
        }
        // The peer host is sent as SNI by both engines when it is a host name, and is the name
        // ServerNameCheck verifies.
        SslHandler ssl = context.newHandler(channel.alloc(), serverName != null ? serverName : address, port);
        if (serverName == null) {
            // HAProxy sends no SNI without "sni".
            SSLEngine engine = ssl.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(List.of());
            engine.setSSLParameters(parameters);
        }
        ssl.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        Promise<Channel> done = channel.eventLoop().newPromise();
        ssl.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                // For the ssl_bc fetches: the server's side of the facts (no client certificate there).
                SSLSession session = ssl.engine().getSession();
                channel.attr(TlsSession.ATTRIBUTE).set(new HandshakeFacts(serverName, session.getProtocol(),
                        HandshakeFacts.openSslCipher(session.getCipherSuite()), ssl.applicationProtocol(), null, 0));
                done.setSuccess(channel);
            } else {
                channel.close();
                Throwable cause = f.cause();
                done.setFailure(cause instanceof SslHandshakeTimeoutException
                        ? new ConnectTimeoutException("TLS handshake timed out: " + cause.getMessage()) : cause);
            }
        });
        channel.pipeline().addFirst("tls-handshake", new OriginHandshakeGate());
        channel.pipeline().addFirst("tls", ssl);
        // autoRead is off: the first read starts the handshake's reading; SslHandler asks for the rest.
        channel.read();
        return done;
    }

    @Override
    public void close() {
        ReferenceCountUtil.release(context);
    }
}
