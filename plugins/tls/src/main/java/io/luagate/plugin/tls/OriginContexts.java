package io.luagate.plugin.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/** Builds the client-side {@link SslContext} of a server. */
final class OriginContexts {

    private OriginContexts() {
    }

    /**
     * @param trusted the CAs of {@code ca-file}; empty: the JDK's trust store
     * @param client  the certificate presented, or {@code null}
     * @param alpn    what the server is offered, most preferred first; empty: no ALPN
     */
    static SslContext build(OriginSettings settings, List<X509Certificate> trusted, ServerCertificate client,
                            List<String> alpn, SslProvider provider) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(provider)
                .protocols("TLSv1.2", "TLSv1.3");
        if (!settings.verify()) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else {
            // HTTPS: the name sent (or the address) must be one of the certificate's, as HAProxy's
            // verifyhost, which defaults to the SNI.
            builder.endpointIdentificationAlgorithm("HTTPS");
            if (!trusted.isEmpty()) {
                builder.trustManager(trusted.toArray(X509Certificate[]::new));
            }
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
