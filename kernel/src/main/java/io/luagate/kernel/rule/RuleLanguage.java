package io.luagate.kernel.rule;

import io.luagate.kernel.rule.action.ActionTable;
import io.luagate.kernel.rule.conv.BuiltinConverters;
import io.luagate.kernel.rule.auth.AuthFetches;
import io.luagate.kernel.rule.fetch.BuiltinFetches;
import io.luagate.kernel.rule.map.MapConverters;
import io.luagate.kernel.rule.map.Maps;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.service.HttpService;
import java.nio.file.Path;
import java.util.Map;

/**
 * The rule language's registries: fetches, converters, actions, services, filters, and the map files.
 * Filled with the built-ins, then by plugins while they are configured; read-only once rules compile.
 */
public record RuleLanguage(SampleRegistry registry, ActionTable actions, Maps maps, FilterTable filters) {

    /** The built-in vocabulary, with {@code services} for use-service; files resolve against {@code home}. */
    public static RuleLanguage builtin(Path home, Map<String, HttpService> services) {
        SampleRegistry registry = new SampleRegistry();
        BuiltinFetches.register(registry);
        AuthFetches.register(registry);
        BuiltinConverters.register(registry);
        MapConverters.register(registry);
        return new RuleLanguage(registry, ActionTable.builtin(services), new Maps(home), new FilterTable());
    }
}
