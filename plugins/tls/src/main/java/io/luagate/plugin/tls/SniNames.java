package io.luagate.plugin.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The server names one certificate of a bind is chosen for: its own (subjectAltName, else CN), or
 * the SNI filters of its {@code crt-list} line, as HAProxy takes them: names written replace the
 * certificate's own, names written {@code !name} are excluded from what remains (useful with a
 * wildcard).
 *
 * @param names    exact names and wildcards ({@code *.example.com}), lower case
 * @param excluded names this certificate is never chosen for
 */
record SniNames(List<String> names, Set<String> excluded) {

    /** The names of {@code certificate}, with the {@code filters} of its crt-list line (empty: none). */
    static SniNames of(ServerCertificate certificate, List<String> filters) {
        List<String> positive = new ArrayList<>();
        List<String> negative = new ArrayList<>();
        for (String filter : filters) {
            if (filter.startsWith("!")) {
                negative.add(filter.substring(1));
            } else {
                positive.add(filter);
            }
        }
        return new SniNames(List.copyOf(positive.isEmpty() ? certificate.names() : positive), Set.copyOf(negative));
    }
}
