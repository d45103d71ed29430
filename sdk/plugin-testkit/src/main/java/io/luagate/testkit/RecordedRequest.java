package io.luagate.testkit;

import java.util.List;
import java.util.Map;

/**
 * One request as a {@link RecordingUpstream} received it.
 *
 * @param method  the request method
 * @param target  the request target as sent (path and query)
 * @param headers the header fields, names in lower case
 * @param body    the body, decoded as UTF-8
 */
public record RecordedRequest(String method, String target, Map<String, List<String>> headers, String body) {

    /** The first value of header {@code name}, or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
