package io.luagate.kernel.extension;

import java.util.Map;

/**
 * The top-level sections read by plugins shipped with luagate, by the plugin that reads each: a
 * file naming one while that plugin is not installed is told which plugin to install, rather than
 * only that the key is unknown.
 */
final class ShippedSections {

    private static final Map<String, String> PLUGINS = Map.of(
            "admin", "admin",
            "lua", "lua",
            "stats", "runtime-api",
            "tls", "tls");

    private ShippedSections() {
    }

    /** The shipped plugin that reads {@code section}, or {@code null}. */
    static String plugin(String section) {
        return PLUGINS.get(section);
    }
}
