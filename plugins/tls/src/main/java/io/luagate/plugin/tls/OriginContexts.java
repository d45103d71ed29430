package io.luagate.plugin.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/** Builds the client-side {@link SslContext} of a server. */
final class OriginContexts {

    private OriginContexts() {
    }

    /**
     * @param trusted the CAs of {@code ca-file}; empty: the JDK's trust store
     * @param crls    the revocation lists of {@code crl-file}; empty: none
     * @param client  the certificate presented, or {@code null}
     * @param alpn    what the server is offered, most preferred first; empty: no ALPN
     */
    static SslContext build(OriginSettings settings, List<X509Certificate> trusted, List<X509CRL> crls,
                            ServerCertificate client, List<String> alpn, SslProvider provider)
            throws SSLException, GeneralSecurityException {
        // The name is checked by ServerNameCheck, as HAProxy does, not by the engine's HTTPS rule.
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(provider)
                .endpointIdentificationAlgorithm(null);
        settings.choice().apply(builder);
        if (!settings.verify()) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else {
            builder.trustManager(new ServerNameCheck(TrustedCas.manager(TrustedCas.factory(trusted, crls)),
                    settings.verifyHost()));
        }
        if (client != null) {
            builder.keyManager(client.key(), client.chain().toArray(X509Certificate[]::new));
        }
        if (!alpn.isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                    SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, alpn));
        }
        return builder.build();
    }
}
