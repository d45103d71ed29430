package io.luagate.plugin.runtimeapi;

import io.luagate.spi.extension.ExtensionRuntime;
import java.util.HashMap;
import java.util.Map;

/**
 * HAProxy's proxy numbers ({@code iid}, {@code be_id}): luagate numbers its frontends, then its
 * backends, in configuration order from 1 (HAProxy numbers its proxies in the order its file
 * declares them, frontends and backends mixed, and keeps one or two for itself).
 */
final class ProxyIds {

    private final Map<String, Integer> frontends = new HashMap<>();
    private final Map<String, Integer> backends = new HashMap<>();

    ProxyIds(ExtensionRuntime runtime) {
        int next = 1;
        for (String name : runtime.frontends().keySet()) {
            frontends.put(name, next++);
        }
        for (String name : runtime.backends().keySet()) {
            backends.put(name, next++);
        }
    }

    int frontend(String name) {
        return frontends.getOrDefault(name, 0);
    }

    int backend(String name) {
        return backends.getOrDefault(name, 0);
    }
}
