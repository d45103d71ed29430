package io.luagate.spi.tls;

import io.netty.util.AttributeKey;
import java.security.cert.X509Certificate;

/**
 * The facts of one client connection's finished TLS handshake, left on its channel under
 * {@link #ATTRIBUTE} by the {@link TlsTerminator} plugin: the {@code ssl_fc*} and {@code ssl_c_*}
 * fetches read them there, so the kernel never depends on the plugin. A connection to a server
 * made with TLS carries one too, for the {@code ssl_bc*} fetches: its server name is the one sent,
 * and it has no client certificate. Immutable.
 */
public interface TlsSession {

    /** Where the channel keeps it; absent on a connection without TLS. */
    AttributeKey<TlsSession> ATTRIBUTE = AttributeKey.valueOf("io.luagate.spi.tls.TlsSession");

    /** The server name the client sent (SNI), or {@code null} when it sent none. */
    String serverName();

    /** The protocol version as OpenSSL names it: {@code TLSv1.2}, {@code TLSv1.3}. */
    String protocol();

    /** The cipher as OpenSSL names it: {@code ECDHE-RSA-AES128-GCM-SHA256}, {@code TLS_AES_128_GCM_SHA256}. */
    String cipher();

    /** The protocol chosen by ALPN, or {@code null} when none was. */
    String applicationProtocol();

    /** The certificate the client presented, or {@code null}. */
    X509Certificate clientCertificate();

    /**
     * The result of the client certificate's verification as OpenSSL numbers it ({@code
     * X509_V_OK}, 0, when it was verified or none was presented). A certificate that fails
     * verification fails the handshake, as in HAProxy without {@code ca-ignore-err}.
     */
    long verifyResult();
}
