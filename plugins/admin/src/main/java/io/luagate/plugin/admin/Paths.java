package io.luagate.plugin.admin;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The API's paths: split into segments before decoding, so an encoded {@code /} stays inside its segment. */
final class Paths {

    static final String PREFIX = "/api/v1";

    private Paths() {
    }

    /**
     * The decoded segments after {@link #PREFIX} of a raw (still encoded) path, or {@code null}
     * when the path is not under it. A trailing {@code /} is ignored.
     */
    static List<String> segments(String rawPath) {
        if (!rawPath.equals(PREFIX) && !rawPath.startsWith(PREFIX + "/")) {
            return null;
        }
        String rest = rawPath.substring(PREFIX.length());
        List<String> segments = new ArrayList<>();
        for (String raw : rest.split("/", -1)) {
            if (!raw.isEmpty()) {
                // '+' is a plus in a path (it means a space only in a query string).
                segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    /** {@code text} as one path segment. */
    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
