package io.luagate.plugin.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import io.netty.util.ReferenceCountUtil;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the certificate for a client's SNI as HAProxy does: an exact name first, then a
 * wildcard covering exactly one label ({@code *.example.com} for {@code www.example.com}, not for
 * {@code a.b.example.com} nor {@code example.com}); no match, or no SNI, gets the first
 * certificate. When two certificates claim a name, the first written wins. Immutable; looked up on
 * the event loops without locks.
 */
final class CertificateSelector implements Mapping<String, SslContext> {

    private final Map<String, SslContext> exact = new HashMap<>();
    /** By the part after {@code *.}. */
    private final Map<String, SslContext> wildcard = new HashMap<>();
    private final SslContext first;
    private final List<SslContext> contexts;

    /** @param contexts one per certificate, in configuration order, paired with {@code certificates} */
    CertificateSelector(List<ServerCertificate> certificates, List<SslContext> contexts) {
        this.first = contexts.get(0);
        this.contexts = List.copyOf(contexts);
        for (int i = 0; i < certificates.size(); i++) {
            for (String name : certificates.get(i).names()) {
                if (name.startsWith("*.")) {
                    wildcard.putIfAbsent(name.substring(2), contexts.get(i));
                } else {
                    exact.putIfAbsent(name, contexts.get(i));
                }
            }
        }
    }

    /** The only certificate, when there is one: no server name can choose another. */
    SslContext only() {
        return contexts.size() == 1 ? first : null;
    }

    /** One context per certificate, in configuration order. */
    List<SslContext> contexts() {
        return contexts;
    }

    /**
     * Releases the contexts (OpenSSL's native ones; a no-op on the JDK's). Connections that
     * started with them hold their own reference until they end.
     */
    void release() {
        for (SslContext context : contexts) {
            ReferenceCountUtil.release(context);
        }
    }

    @Override
    public SslContext map(String serverName) {
        if (serverName == null || serverName.isEmpty()) {
            return first;
        }
        String name = serverName.toLowerCase(Locale.ROOT);
        SslContext context = exact.get(name);
        if (context != null) {
            return context;
        }
        int dot = name.indexOf('.');
        if (dot > 0) {
            context = wildcard.get(name.substring(dot + 1));
            if (context != null) {
                return context;
            }
        }
        return first;
    }
}
