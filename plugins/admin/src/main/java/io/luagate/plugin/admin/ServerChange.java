package io.luagate.plugin.admin;

import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Set;

/**
 * A change of one server ({@code PATCH .../servers/{s}}): its state, weight and address, as
 * HAProxy's {@code set server ... state|weight|addr}. Every field is checked before any is
 * applied, so a bad request changes nothing.
 *
 * @param state   the new administrative state, or {@code null}
 * @param weight  the new weight as written ({@code 3}, {@code "50%"}), resolved against the server, or {@code null}
 * @param address the new address, or {@code null}
 */
record ServerChange(ServerAdmin state, Object weight, InetSocketAddress address) {

    static final Set<String> FIELDS = Set.of("state", "weight", "address");

    static ServerChange read(ApiRequest request, Server server) {
        request.onlyFields(FIELDS);
        if (request.body().isEmpty()) {
            throw ApiException.badRequest("nothing to change: send one of state, weight, address");
        }
        ServerAdmin state = state(request.string("state"));
        Object weight = request.body().get("weight");
        if (weight != null) {
            weight(weight, server);
        }
        InetSocketAddress address = null;
        String text = request.string("address");
        if (text != null) {
            address = address(text, server.address().getPort());
        }
        return new ServerChange(state, weight, address);
    }

    /** {@code ready}, {@code drain}, {@code maint} (HAProxy's {@code set server ... state}), or {@code null}. */
    static ServerAdmin state(String text) {
        if (text == null) {
            return null;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "ready" -> ServerAdmin.READY;
            case "drain" -> ServerAdmin.DRAIN;
            case "maint" -> ServerAdmin.MAINT;
            default -> throw ApiException.badRequest("\"state\" must be ready, drain or maint, not \"" + text + "\"");
        };
    }

    /**
     * The weight {@code written} asks for: a number 0..256, or as HAProxy a string {@code "N"} or
     * {@code "N%"} (a share of the configured weight, capped at 256).
     */
    static int weight(Object written, Server server) {
        long value;
        boolean relative = false;
        if (written instanceof Long number) {
            value = number;
        } else if (written instanceof String text && text.strip().matches("\\d{1,9}%?")) {
            String digits = text.strip();
            relative = digits.endsWith("%");
            value = Long.parseLong(relative ? digits.substring(0, digits.length() - 1) : digits);
        } else {
            throw ApiException.badRequest("\"weight\" must be an integer 0..256 or a string \"N%\" of the configured weight");
        }
        if (relative) {
            value = Math.min(256, server.initialWeight() * value / 100);
        }
        if (value < 0 || value > 256) {
            throw ApiException.badRequest("\"weight\" must be 0..256, not " + value);
        }
        return (int) value;
    }

    /** {@code "ip"}, {@code "ip:port"} or {@code "[v6]:port"}: an IP literal, never a name to look up. */
    static InetSocketAddress address(String text, int currentPort) {
        String written = text.strip();
        boolean hasPort = written.startsWith("[") ? written.contains("]:") : written.indexOf(':') == written.lastIndexOf(':') && written.contains(":");
        InetSocketAddress address = AdminSettings.address(hasPort ? written : bracketed(written) + ":" + currentPort);
        if (address == null || written.isEmpty()) {
            throw ApiException.badRequest("\"address\" must be an IP address with an optional port (\"10.0.0.1:80\", \"[::1]:80\"), not \""
                    + text + "\"");
        }
        return address;
    }

    private static String bracketed(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** Applies the change; every field was checked by {@link #read}. */
    void apply(Server server) {
        if (address != null) {
            server.setAddress(address);
        }
        if (weight != null) {
            server.setWeight(weight(weight, server));
        }
        if (state != null) {
            server.setAdmin(state);
        }
    }
}
