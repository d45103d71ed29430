package io.luagate.plugin.lua.api;

import io.luagate.spi.proxy.Server;

/**
 * {@code Server:set_weight(str)}: HAProxy's weight text ({@code "12"} absolute, 0..256, or
 * {@code "50%"} relative to the configured weight, capped at 256) with HAProxy's error messages.
 * Every luagate balancer reads weights at each pick, so no value is refused as "static".
 */
final class WeightRequest {

    private WeightRequest() {
    }

    /** Applies {@code text} to {@code server}; {@code null} on success, else HAProxy's error message. */
    static String apply(Server server, String text) {
        if (text.isEmpty()) {
            return "Require <weight> or <weight%>.";
        }
        Strtol parsed = Strtol.parse(text);
        long weight = parsed.value();
        int end = parsed.end();
        if (end == 0) {
            return "Empty weight string empty or preceded by garbage";
        }
        if (end == text.length() - 1 && text.charAt(end) == '%') {
            if (weight < 0) {
                return "Relative weight must be positive.";
            }
            weight = Math.min(weight, 25600);
            weight = Math.min(server.initialWeight() * weight / 100, 256);
        } else if (weight < 0 || weight > 256) {
            return "Absolute weight can only be between 0 and 256 inclusive.";
        } else if (end != text.length()) {
            return "Trailing garbage in weight string";
        }
        server.setWeight((int) weight);
        return null;
    }
}
