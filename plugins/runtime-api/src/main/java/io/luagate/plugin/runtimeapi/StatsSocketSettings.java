package io.luagate.plugin.runtimeapi;

import io.luagate.spi.config.ConfigSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code stats} section, checked.
 *
 * @param socket  the unix socket's path, or {@code null}
 * @param tcp     the loopback TCP address, or {@code null}
 * @param mode    the socket file's permissions (octal digits as written), or {@code null}
 */
record StatsSocketSettings(Path socket, InetSocketAddress tcp, Level level, String mode, long timeoutMillis,
                           int maxconn) {

    /** Whether the section asks for anything to listen. */
    boolean enabled() {
        return socket != null || tcp != null;
    }

    /** Reads the section; problems go to the section (luagate then refuses to start). */
    static StatsSocketSettings read(ConfigSection section, Path home) {
        Path socket = null;
        String socketText = section.string("socket");
        if (!socketText.isEmpty()) {
            try {
                socket = home.resolve(socketText).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                section.problem("socket", "not a file name (" + e.getReason() + ")");
            }
        }
        InetSocketAddress tcp = null;
        String tcpText = section.string("tcp");
        if (!tcpText.isEmpty()) {
            tcp = loopback(tcpText, section);
        }
        Level level = Level.parse(section.string("level"));
        if (level == null) {
            section.problem("level", "must be user, operator or admin, not '" + section.string("level") + "'");
            level = Level.OPERATOR;
        }
        String mode = section.string("mode");
        if (mode.isEmpty()) {
            mode = null;
        } else if (!mode.matches("[0-7]{1,4}")) {
            section.problem("mode", "must be octal permissions such as 600 or 0660, not '" + mode + "'");
            mode = null;
        }
        long timeout = section.millis("timeout", Duration.ofMillis(1), Duration.ofDays(1));
        int maxconn = section.integer("maxconn", 1, 10_000);
        return new StatsSocketSettings(socket, tcp, level, mode, timeout, maxconn);
    }

    /** {@code host:port} with a loopback IP literal: the runtime API has no authentication. */
    private static InetSocketAddress loopback(String text, ConfigSection section) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            section.problem("tcp", "must be a loopback address and port such as 127.0.0.1:9999, not '" + text + "'");
            return null;
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            section.problem("tcp", "bad port in '" + text + "'");
            return null;
        }
        if (!host.matches("[0-9.]+") && !host.contains(":")) {
            section.problem("tcp", "must be an IP address (no name is looked up), not '" + host + "'");
            return null;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            section.problem("tcp", "'" + host + "' is not an IP address");
            return null;
        }
        if (!address.isLoopbackAddress()) {
            section.problem("tcp", "refused: " + host + " is not a loopback address, and the runtime API has no"
                    + " authentication; bind it to 127.0.0.1 or ::1 (or use the unix socket)");
            return null;
        }
        return new InetSocketAddress(address, port);
    }
}
