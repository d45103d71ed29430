package io.luagate.kernel.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.luagate.spi.config.ConfigSection;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strict reader over one configuration object: every key must be read by the code that knows it,
 * and {@link #finish()} reports the keys nobody read as unknown. Every type or range problem is
 * collected with the value's file:line instead of stopping at the first, so that {@code luagate
 * check} shows them all.
 *
 * <p>Readers return a harmless fallback after recording a problem; callers never use the result of
 * a configuration that had problems, because loading ends with {@link Problems#throwIfAny()}.
 */
public final class Section implements ConfigSection {

    private final Config config;
    private final String path;
    private final Problems problems;
    private final Set<String> read = new HashSet<>();

    public Section(Config config, String path, Problems problems) {
        this.config = config;
        this.path = path;
        this.problems = problems;
    }

    /** The full path of this section, for messages. */
    public String path() {
        return path;
    }

    public ConfigOrigin origin() {
        return config.root().origin();
    }

    public Problems problems() {
        return problems;
    }

    public boolean has(String key) {
        read.add(key);
        return config.hasPath(quote(key));
    }

    public String string(String key) {
        read.add(key);
        try {
            return config.getString(quote(key));
        } catch (ConfigException e) {
            return fail(key, e, "");
        }
    }

    /** An optional string: {@code null} when absent. */
    public String optionalString(String key) {
        read.add(key);
        return config.hasPath(quote(key)) ? string(key) : null;
    }

    public String oneOf(String key, List<String> allowed) {
        String value = string(key);
        if (!allowed.contains(value)) {
            problem(key, "'" + value + "' is not one of " + String.join(", ", allowed));
            return allowed.get(0);
        }
        return value;
    }

    public int integer(String key, int min, int max) {
        read.add(key);
        try {
            int value = config.getInt(quote(key));
            if (value < min || value > max) {
                problem(key, value + " is out of range [" + min + ", " + max + "]");
                return min;
            }
            return value;
        } catch (ConfigException e) {
            return fail(key, e, min);
        }
    }

    public boolean bool(String key) {
        read.add(key);
        try {
            return config.getBoolean(quote(key));
        } catch (ConfigException e) {
            return fail(key, e, false);
        }
    }

    /** A duration in HOCON units ({@code 500ms}, {@code 30s}, {@code 1h}); a bare number means ms. */
    public long millis(String key, Duration min, Duration max) {
        read.add(key);
        try {
            Duration value = config.getDuration(quote(key));
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                problem(key, value + " is out of range [" + min + ", " + max + "]");
                return min.toMillis();
            }
            return value.toMillis();
        } catch (ConfigException e) {
            return fail(key, e, min.toMillis());
        }
    }

    /** A size in HOCON units ({@code 16k}, {@code 1m}); a bare number means bytes. */
    public long bytes(String key, long min, long max) {
        read.add(key);
        try {
            long value = config.getBytes(quote(key));
            if (value < min || value > max) {
                problem(key, value + " bytes is out of range [" + min + ", " + max + "]");
                return min;
            }
            return value;
        } catch (ConfigException e) {
            return fail(key, e, min);
        }
    }

    public List<String> strings(String key) {
        read.add(key);
        try {
            if (config.hasPath(quote(key)) && config.getValue(quote(key)).valueType() == ConfigValueType.STRING) {
                return List.of(config.getString(quote(key)));
            }
            return config.getStringList(quote(key));
        } catch (ConfigException e) {
            return fail(key, e, List.of());
        }
    }

    /** The raw value, for keys that accept several shapes; {@code null} when absent. */
    public ConfigValue value(String key) {
        read.add(key);
        return config.hasPath(quote(key)) ? config.getValue(quote(key)) : null;
    }

    /** A nested object, read strictly in its turn. */
    public Section section(String key) {
        read.add(key);
        try {
            return new Section(config.getConfig(quote(key)), child(key), problems);
        } catch (ConfigException e) {
            fail(key, e, null);
            // What is missing in it is then told at the place of the value that was no section.
            ConfigOrigin where = config.hasPath(quote(key)) ? config.getValue(quote(key)).origin() : origin();
            return new Section(com.typesafe.config.ConfigValueFactory.fromMap(Map.of()).withOrigin(where).toConfig(),
                    child(key), problems);
        }
    }

    /** The entries of an object whose keys are names chosen by the user (servers, frontends...). */
    public Map<String, ConfigValue> named(String key) {
        read.add(key);
        Map<String, ConfigValue> entries = new LinkedHashMap<>();
        if (!config.hasPath(quote(key))) {
            return entries;
        }
        ConfigValue value = config.getValue(quote(key));
        if (value.valueType() != ConfigValueType.OBJECT) {
            problem(key, "must be an object of named entries, not " + value.valueType().name().toLowerCase());
            return entries;
        }
        ConfigObject object = (ConfigObject) value;
        // ConfigObject's order is not the file's: servers keep their written order.
        WrittenOrder.of(object.entrySet()).forEach(e -> entries.put(e.getKey(), e.getValue()));
        return entries;
    }

    @Override
    public String location(String key) {
        ConfigOrigin where = config.hasPath(quote(key)) ? config.getValue(quote(key)).origin() : origin();
        return ConfigProblem.describe(where);
    }

    /**
     * The entries present here that no reader asked for so far, now taken as read: the top-level
     * sections that plugins own.
     */
    public Map<String, ConfigValue> takeUnread() {
        Map<String, ConfigValue> rest = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> entry : config.root().entrySet()) {
            if (read.add(entry.getKey())) {
                rest.put(entry.getKey(), entry.getValue());
            }
        }
        return rest;
    }

    /** Records a problem about {@code key} at the location of its value. */
    public void problem(String key, String message) {
        ConfigOrigin where = config.hasPath(quote(key)) ? config.getValue(quote(key)).origin() : origin();
        problems.add(where, child(key), message);
    }

    /** Records a problem about element {@code index} of the list {@code key}, at that element's own location. */
    public void problem(String key, int index, String message) {
        ConfigValue value = config.hasPath(quote(key)) ? config.getValue(quote(key)) : null;
        if (value instanceof ConfigList list && index < list.size()) {
            problems.add(list.get(index).origin(), child(key), message);
        } else {
            problem(key, message);
        }
    }

    /** Reports every key present here that no reader asked for. */
    public void finish() {
        for (Map.Entry<String, ConfigValue> entry : config.root().entrySet()) {
            if (!read.contains(entry.getKey())) {
                problems.add(entry.getValue().origin(), child(entry.getKey()), "unknown key");
            }
        }
    }

    private <T> T fail(String key, ConfigException e, T fallback) {
        String message = e.getMessage();
        // typesafe-config prefixes its messages with the origin; we print our own.
        if (e.origin() != null && message.startsWith(e.origin().description() + ": ")) {
            message = message.substring(e.origin().description().length() + 2);
        }
        if (e instanceof ConfigException.Missing) {
            message = "is required";
        }
        problems.add(e.origin() != null ? e.origin() : origin(), child(key), message);
        return fallback;
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String quote(String key) {
        return ConfigUtil.joinPath(key);
    }
}
