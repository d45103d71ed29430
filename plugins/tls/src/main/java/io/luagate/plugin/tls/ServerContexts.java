package io.luagate.plugin.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/** Builds the server-side {@link SslContext} of each certificate of a bind, all with the bind's settings. */
final class ServerContexts {

    private ServerContexts() {
    }

    /**
     * @param trust the CAs of {@code ca-file} (with {@code crl-file}), or {@code null} when none
     * @param alpn  what the bind offers, most preferred first; empty: no ALPN
     */
    static SslContext build(ServerCertificate certificate, BindTlsSettings settings, TrustManagerFactory trust,
                            List<String> alpn, SslProvider provider) throws SSLException {
        SslContextBuilder builder = SslContextBuilder
                .forServer(certificate.key(), certificate.chain().toArray(X509Certificate[]::new))
                .sslProvider(provider)
                .clientAuth(settings.verify());
        settings.choice().apply(builder);
        if (trust != null) {
            builder.trustManager(trust);
        }
        if (!alpn.isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                    // A client offering none of ours gets no ALPN answer, as with HAProxy.
                    SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, alpn));
        }
        return builder.build();
    }
}
