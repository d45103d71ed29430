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
        String description = origin.description();
        if (description.startsWith("merge of ")) {
            // A value merged from the user's file and a default: point at the first (the user's) part.
            String first = description.substring("merge of ".length()).split(",", 2)[0];
            int colon = first.lastIndexOf(": ");
            return colon > 0 ? first.substring(0, colon) + ":" + first.substring(colon + 2).trim() : first;
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
