package io.luagate.kernel.plugin;

import java.util.List;

/**
 * A loaded plugin as {@code luagate plugins} shows it.
 *
 * @param id         the plugin id, e.g. {@code http}
 * @param version    its version
 * @param file       the jar it came from
 * @param extensions "ExtensionPoint: implementation" entries
 */
public record PluginInfo(String id, String version, String file, List<String> extensions) {
}
