package io.luagate.plugin.tls;

import io.luagate.spi.config.ConfigSection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A bind's keys as a test writes them, recording the problems the plugin reports, as "key: message". */
final class MapSection implements ConfigSection {

    private final Map<String, Object> values;
    final List<String> problems = new ArrayList<>();

    MapSection(Map<String, Object> values) {
        this.values = values;
    }

    @Override
    public String path() {
        return "frontends.web.bind";
    }

    @Override
    public boolean has(String key) {
        return values.containsKey(key);
    }

    @Override
    public String string(String key) {
        return (String) values.get(key);
    }

    @Override
    public String optionalString(String key) {
        return (String) values.get(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> strings(String key) {
        Object value = values.get(key);
        return value instanceof String s ? List.of(s) : (List<String>) value;
    }

    @Override
    public int integer(String key, int min, int max) {
        return ((Number) values.get(key)).intValue();
    }

    @Override
    public boolean bool(String key) {
        return (Boolean) values.get(key);
    }

    @Override
    public long millis(String key, Duration min, Duration max) {
        return ((Number) values.get(key)).longValue();
    }

    @Override
    public long bytes(String key, long min, long max) {
        return ((Number) values.get(key)).longValue();
    }

    @Override
    public String location(String key) {
        return "test.conf:1";
    }

    @Override
    public void problem(String key, String message) {
        problems.add(key + ": " + message);
    }
}
