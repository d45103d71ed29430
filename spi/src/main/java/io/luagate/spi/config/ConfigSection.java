package io.luagate.spi.config;

import java.time.Duration;
import java.util.List;

/**
 * One object of the user's configuration, read strictly: every key must be read, and once the
 * plugin is configured the kernel reports the keys nobody read as unknown. A problem is recorded with the value's
 * file and line, and reading goes on with a harmless fallback, so that every problem of a
 * configuration is reported in one run; luagate refuses to start when there was any.
 */
public interface ConfigSection {

    /** The dotted path of this section, for messages (for example {@code lua}). */
    String path();

    boolean has(String key);

    String string(String key);

    /** {@code null} when absent. */
    String optionalString(String key);

    /** A list of strings; a single string is taken as a list of one. */
    List<String> strings(String key);

    int integer(String key, int min, int max);

    boolean bool(String key);

    /** A duration in milliseconds ({@code 4s}, {@code 500ms}), within bounds. */
    long millis(String key, Duration min, Duration max);

    /** A size in bytes ({@code 64m}, {@code 16384}), within bounds. */
    long bytes(String key, long min, long max);

    /** Where {@code key} is defined, as {@code file:line}. */
    String location(String key);

    /** Records a problem with {@code key}, at its file and line. */
    void problem(String key, String message);
}
