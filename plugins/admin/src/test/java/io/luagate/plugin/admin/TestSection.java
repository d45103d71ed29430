package io.luagate.plugin.admin;

import io.luagate.spi.config.ConfigSection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An {@code admin} section from a map, over the plugin's defaults, recording its problems as "key: message". */
final class TestSection implements ConfigSection {

    private final Map<String, Object> values;
    final List<String> problems = new ArrayList<>();

    TestSection(Map<String, Object> values) {
        this.values = new java.util.HashMap<>(Map.of("open-reads", false, "threads", 2));
        this.values.putAll(values);
    }

    @Override
    public String path() {
        return "admin";
    }

    @Override
    public boolean has(String key) {
        return values.containsKey(key);
    }

    @Override
    public String string(String key) {
        return String.valueOf(values.get(key));
    }

    @Override
    public String optionalString(String key) {
        return has(key) ? string(key) : null;
    }

    @Override
    public List<String> strings(String key) {
        return List.of(string(key));
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
        throw new UnsupportedOperationException(key);
    }

    @Override
    public long bytes(String key, long min, long max) {
        throw new UnsupportedOperationException(key);
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
