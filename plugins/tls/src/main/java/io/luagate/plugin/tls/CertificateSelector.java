package io.luagate.plugin.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Chooses the certificate for a client's SNI as HAProxy does: an exact name first, then a
 * wildcard covering exactly one label ({@code *.example.com} for {@code www.example.com}, not for
 * {@code a.b.example.com} nor {@code example.com}); no match, or no SNI, gets the first
 * certificate. When two certificates claim a name, the first written wins; a crt-list line's
 * {@code !name} filter keeps its certificate from being chosen for that name. Immutable; looked up on
 * the event loops without locks.
 */
final class CertificateSelector implements Mapping<String, SslContext> {

    private final Map<String, SslContext> exact = new HashMap<>();
    /** By the part after {@code *.}: the certificates in configuration order, each with the names it excludes. */
    private final Map<String, List<Wildcard>> wildcard = new HashMap<>();
    private final SslContext first;
    private final List<SslContext> contexts;

    private record Wildcard(SslContext context, Set<String> excluded) {
    }

    /** @param contexts one per certificate, in configuration order, paired with {@code names} */
    CertificateSelector(List<SniNames> names, List<SslContext> contexts) {
        this.first = contexts.get(0);
        this.contexts = List.copyOf(contexts);
        for (int i = 0; i < names.size(); i++) {
            for (String name : names.get(i).names()) {
                if (name.startsWith("*.")) {
                    wildcard.computeIfAbsent(name.substring(2), k -> new ArrayList<>())
                            .add(new Wildcard(contexts.get(i), names.get(i).excluded()));
                } else if (!names.get(i).excluded().contains(name)) {
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
            List<Wildcard> candidates = wildcard.get(name.substring(dot + 1));
            if (candidates != null) {
                for (Wildcard candidate : candidates) {
                    if (!candidate.excluded().contains(name)) {
                        return candidate.context();
                    }
                }
            }
        }
        return first;
    }
}
