package io.luagate.kernel.plugin;

import java.util.List;
import java.util.Map;

/**
 * A loaded plugin as {@code luagate plugins} and {@code luagate version -vv} show it.
 *
 * @param id          the plugin id, e.g. {@code http}
 * @param version     its version
 * @param provider    {@code Plugin-Provider}, or {@code ""}
 * @param description {@code Plugin-Description}, or {@code ""}
 * @param requires    the SPI levels it accepts ({@code Plugin-Requires}), {@code *} when it says none
 * @param file        the jar it came from
 * @param provided    the names it provides, by kind in listing order, each sorted
 */
public record PluginInfo(String id, String version, String provider, String description, String requires, String file,
                         Map<ProvidedKind, List<String>> provided) {
}
