package io.luagate.spi.proxy;

import java.util.List;

/**
 * A frontend's stats page (HAProxy's {@code stats uri}, {@code stats refresh}, {@code stats auth},
 * {@code stats realm}, {@code stats hide-version}): the kernel hands a request for {@link #uri()}
 * to the {@code stats-page} service after the frontend's {@code http-request} rules.
 *
 * @param uri            the prefix a request's path (or, for a prefix not starting with '/', its
 *                       whole URI) starts with; what follows may carry options such as {@code ;norefresh}
 * @param refreshSeconds how often the page reloads itself ({@code Refresh} header); 0: never
 * @param credentials    {@code user:password} pairs allowed in; empty: the page is open
 * @param realm          the realm a client without valid credentials is told
 * @param hideVersion    whether the page leaves out the version of luagate
 */
public record StatsPageSettings(String uri, int refreshSeconds, List<String> credentials, String realm,
                                boolean hideVersion) {

    /** The name of the service that serves the page ({@code http-request use-service stats-page} names it too). */
    public static final String SERVICE = "stats-page";

    /** HAProxy's realm when none is written. */
    public static final String DEFAULT_REALM = "HAProxy Statistics";

    public StatsPageSettings {
        credentials = List.copyOf(credentials);
    }
}
