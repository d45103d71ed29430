package io.luagate.plugin.lua.net;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import javax.net.ssl.SSLException;

/**
 * The TLS client context of {@code Socket:connect_ssl}: like HAProxy's built-in Lua SSL server
 * ({@code ssl verify none}), it checks no certificate and sends no SNI. Made once, when the plugin
 * starts: building a JDK TLS context takes tens of milliseconds that no event loop may spend.
 */
public final class InsecureTls {

    private InsecureTls() {
    }

    private static final class Holder {
        static final SslContext CONTEXT = build();

        private static SslContext build() {
            try {
                return SslContextBuilder.forClient()
                        .sslProvider(SslProvider.JDK)
                        .trustManager(InsecureTrustManagerFactory.INSTANCE)
                        .build();
            } catch (SSLException e) {
                throw new IllegalStateException("cannot build the TLS client context: " + e.getMessage(), e);
            }
        }
    }

    static SslContext context() {
        return Holder.CONTEXT;
    }

    /** Builds the context now (at start, off the event loops). */
    public static void prepare() {
        context();
    }
}
