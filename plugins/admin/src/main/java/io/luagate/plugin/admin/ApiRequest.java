package io.luagate.plugin.admin;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One request to the API, parsed.
 *
 * @param method the HTTP method, upper case
 * @param path   the path's segments after {@code /api/v1}, percent-decoded one by one (so {@code %2F}
 *               is a {@code /} inside a segment, as a map file's name needs)
 * @param body   the JSON object sent, or an empty map when there was no body
 */
record ApiRequest(String method, List<String> path, Map<String, Object> body) {

    boolean read() {
        return method.equals("GET") || method.equals("HEAD");
    }

    /** Refuses a body naming a field outside {@code known}: a typo must not pass as "nothing to change". */
    void onlyFields(Set<String> known) {
        for (String name : body.keySet()) {
            if (!known.contains(name)) {
                throw ApiException.badRequest("unknown field \"" + name + "\" (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    /** A string field, or {@code null} when absent. */
    String string(String name) {
        Object value = body.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw ApiException.badRequest("\"" + name + "\" must be a string");
        }
        return text;
    }

    /** A string field that must be there. */
    String required(String name) {
        String value = string(name);
        if (value == null) {
            throw ApiException.badRequest("\"" + name + "\" is required");
        }
        return value;
    }
}
