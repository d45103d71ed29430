package io.luagate.plugin.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.ReferenceCountUtil;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/** Builds the server-side {@link SslContext} of each certificate of a bind, all with the bind's settings. */
final class ServerContexts {

    private ServerContexts() {
    }

    /**
     * @param trusted the CAs of {@code ca-file} (empty when none)
     * @param alpn    what the bind offers, most preferred first; empty: no ALPN
     */
    static SslContext build(ServerCertificate certificate, BindTlsSettings settings, List<X509Certificate> trusted,
                            List<String> alpn, SslProvider provider) throws SSLException {
        SslContextBuilder builder = SslContextBuilder
                .forServer(certificate.key(), certificate.chain().toArray(X509Certificate[]::new))
                .sslProvider(provider)
                .protocols(settings.protocols())
                .clientAuth(settings.verify());
        if (!trusted.isEmpty()) {
            builder.trustManager(trusted.toArray(X509Certificate[]::new));
        }
        if (settings.ciphers() != null || settings.cipherSuites() != null) {
            List<String> ciphers = new ArrayList<>();
            if (settings.ciphers() != null) {
                ciphers.addAll(settings.ciphers());
            } else {
                // Only ciphersuites was written: TLS 1.2 keeps the engine's own list.
                for (String name : defaults(builder)) {
                    if (!BindTlsSettings.TLS13_SUITES.contains(name)) {
                        ciphers.add(name);
                    }
                }
            }
            ciphers.addAll(settings.cipherSuites() != null ? settings.cipherSuites()
                    : BindTlsSettings.TLS13_SUITES.subList(0, 3));
            builder.ciphers(ciphers, SupportedCipherSuiteFilter.INSTANCE);
        }
        if (!alpn.isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                    // A client offering none of ours gets no ALPN answer, as with HAProxy.
                    SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, alpn));
        }
        return builder.build();
    }

    private static List<String> defaults(SslContextBuilder builder) throws SSLException {
        SslContext probe = builder.build();
        try {
            return probe.cipherSuites();
        } finally {
            ReferenceCountUtil.release(probe);
        }
    }
}
