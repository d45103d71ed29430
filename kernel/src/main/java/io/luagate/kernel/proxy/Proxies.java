package io.luagate.kernel.proxy;

import java.util.Map;

/** The running frontends and backends, by name. */
public record Proxies(Map<String, DefaultFrontend> frontends, Map<String, DefaultBackend> backends) {
}
