package io.luagate.kernel.config;

import com.typesafe.config.ConfigOrigin;

/**
 * One thing wrong with the configuration, located precisely enough to fix it.
 *
 * @param origin  where it is: {@code file:line}, or a description such as "env variables"
 * @param key     the full path of the key, or {@code ""} for the file itself
 * @param message what is wrong, in a sentence
 */
public record ConfigProblem(String origin, String key, String message) {

    static ConfigProblem at(ConfigOrigin origin, String key, String message) {
        return new ConfigProblem(describe(origin), key, message);
    }

    static String describe(ConfigOrigin origin) {
        if (origin == null) {
            return "<unknown>";
        }
        if (origin.filename() != null) {
            return origin.lineNumber() > 0 ? origin.filename() + ":" + origin.lineNumber() : origin.filename();
        }
        if (origin.resource() != null) {
            return origin.lineNumber() > 0 ? origin.resource() + ":" + origin.lineNumber() : origin.resource();
        }
        return origin.description();
    }

    @Override
    public String toString() {
        return key.isEmpty() ? origin + ": " + message : origin + ": " + key + ": " + message;
    }
}
