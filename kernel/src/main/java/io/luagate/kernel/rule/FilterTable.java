package io.luagate.kernel.rule;

import io.luagate.kernel.config.ConfigProblem;
import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Settings;
import io.luagate.spi.filter.Filter;
import io.luagate.spi.filter.FilterFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The filter names plugins registered, and the compiler of {@code filter <name> [args]} lines.
 * luagate has no built-in filter: every name comes from a plugin ({@code lua.<name>} from Lua).
 */
public final class FilterTable {

    private final Map<String, FilterFactory> factories = new HashMap<>();

    /** @throws IllegalArgumentException when the name exists */
    public void add(String name, FilterFactory factory) {
        if (factories.putIfAbsent(name, factory) != null) {
            throw new IllegalArgumentException("filter '" + name + "' already exists");
        }
    }

    /** Compiles a proxy's {@code filter} lines; each bad line is a problem naming file:line. */
    public List<Filter> compile(List<Settings.Rule> lines, String key, Problems problems) {
        List<Filter> filters = new ArrayList<>(lines.size());
        for (Settings.Rule line : lines) {
            List<Word> words;
            try {
                words = RuleTokenizer.split(line.text());
            } catch (RuleSyntaxException e) {
                problems.add(new ConfigProblem(line.origin(), key, "\"" + line.text() + "\": " + e.getMessage()));
                continue;
            }
            if (words.isEmpty()) {
                problems.add(new ConfigProblem(line.origin(), key, "empty filter line: \"<name> [args]\""));
                continue;
            }
            String name = words.get(0).text();
            FilterFactory factory = factories.get(name);
            if (factory == null) {
                problems.add(new ConfigProblem(line.origin(), key, "unknown filter '" + name + "'"
                        + (name.startsWith("lua.") ? " (no Lua script registers it with core.register_filter)"
                        : " (luagate's filters come from plugins, e.g. lua.<name> from core.register_filter)")));
                continue;
            }
            try {
                filters.add(factory.create(words.subList(1, words.size()).stream().map(Word::text).toList()));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(line.origin(), key, "filter '" + name + "': " + e.getMessage()));
            }
        }
        return List.copyOf(filters);
    }
}
