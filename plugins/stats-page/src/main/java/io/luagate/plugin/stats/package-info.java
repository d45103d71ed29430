/** The HTML stats page of {@code frontends.<f>.stats-uri} (HAProxy's {@code stats uri}), served as the {@code stats-page} service. */
package io.luagate.plugin.stats;
