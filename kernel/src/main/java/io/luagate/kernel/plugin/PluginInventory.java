package io.luagate.kernel.plugin;

import java.nio.file.Path;
import java.util.List;

/**
 * What a plugins directory holds, as {@code luagate plugins} prints it.
 *
 * @param dir       the plugins directory
 * @param plugins   the plugins that serve, sorted by id
 * @param tlsEngine the TLS library of the plugin that provides TLS, or {@code null} when none does
 * @param problems  one line per file that does not serve and per name provided twice
 */
public record PluginInventory(Path dir, List<PluginInfo> plugins, String tlsEngine, List<String> problems) {
}
