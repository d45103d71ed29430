package io.luagate.plugin.runtimeapi;

import java.util.List;

/**
 * One command line cut into words as HAProxy cuts it, with its payload (the lines after a
 * trailing {@code <<}, or {@code null}) and the connection it came on.
 */
final class Request {

    private final List<String> args;
    private final String payload;
    private final CliConnection connection;

    Request(List<String> args, String payload, CliConnection connection) {
        this.args = args;
        this.payload = payload;
        this.connection = connection;
    }

    /** Word {@code i}, or {@code ""} past the last (HAProxy's empty trailing arguments). */
    String arg(int i) {
        return i < args.size() ? args.get(i) : "";
    }

    List<String> args() {
        return args;
    }

    String payload() {
        return payload;
    }

    CliConnection connection() {
        return connection;
    }

    /** Refuses with HAProxy's text unless the connection has at least {@code level}. */
    void require(Level level) {
        if (connection.level().compareTo(level) < 0) {
            throw new CliError("Permission denied\n");
        }
    }
}
