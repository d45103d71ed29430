package io.luagate.plugin.runtimeapi;

import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * HAProxy's server commands ({@code src/server.c}): {@code set server} (state, weight, addr,
 * health), {@code enable}/{@code disable server}, {@code get weight}, {@code set weight},
 * {@code shutdown sessions server}, with HAProxy's texts.
 */
final class ServerCommands {

    private static final String UPDATER = " by 'stats socket command'\n";

    private final ExtensionRuntime runtime;

    ServerCommands(ExtensionRuntime runtime) {
        this.runtime = runtime;
    }

    void register(CommandTable table) {
        table.add("disable server", "disable server (DEPRECATED)             : disable a server for maintenance (use 'set server' instead)",
                        r -> admin(r, ServerAdmin.MAINT))
                .add("enable server", "enable server  (DEPRECATED)             : enable a disabled server (use 'set server' instead)",
                        r -> admin(r, ServerAdmin.READY))
                .add("get weight", "get weight <bk>/<srv>                   : report a server's current weight", this::getWeight)
                .add("set server", "set server <bk>/<srv> [opts]            : change a server's state, weight, address or ssl",
                        this::setServer)
                .add("set weight", "set weight <bk>/<srv>  (DEPRECATED)     : change a server's weight (use 'set server' instead)",
                        this::setWeight)
                .add("shutdown sessions server", "shutdown sessions server <bk>/<srv>     : kill sessions on a server",
                        this::shutdownSessions);
    }

    /** HAProxy's {@code get_backend_server} with its {@code cli_find_server} texts. */
    Server find(String spec) {
        int slash = spec.indexOf('/');
        if (slash < 0 || slash == spec.length() - 1) {
            throw new CliError("Require 'backend/server'.\n");
        }
        Backend backend = runtime.backends().get(spec.substring(0, slash));
        if (backend == null) {
            throw new CliError("No such backend.\n");
        }
        String name = spec.substring(slash + 1);
        for (Server server : backend.servers()) {
            if (server.name().equals(name)) {
                return server;
            }
        }
        throw new CliError("No such server.\n");
    }

    private String admin(Request r, ServerAdmin state) {
        r.require(Level.ADMIN);
        find(r.arg(2)).setAdmin(state);
        return "";
    }

    private String getWeight(Request r) {
        Server server = find(r.arg(2));
        return server.weight() + " (initial " + server.initialWeight() + ")\n";
    }

    private String setWeight(Request r) {
        r.require(Level.ADMIN);
        Server server = find(r.arg(2));
        return weight(server, r.arg(3));
    }

    private String shutdownSessions(Request r) {
        r.require(Level.ADMIN);
        find(r.arg(3)).shutdownStreams();
        return "";
    }

    private String setServer(Request r) {
        r.require(Level.ADMIN);
        Server server = find(r.arg(2));
        String what = r.arg(3);
        switch (what) {
            case "weight" -> {
                return weight(server, r.arg(4));
            }
            case "state" -> {
                ServerAdmin state = switch (r.arg(4)) {
                    case "ready" -> ServerAdmin.READY;
                    case "drain" -> ServerAdmin.DRAIN;
                    case "maint" -> ServerAdmin.MAINT;
                    default -> throw new CliError("'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n");
                };
                server.setAdmin(state);
                return "";
            }
            case "health" -> {
                ServerHealth health = switch (r.arg(4)) {
                    case "up" -> ServerHealth.UP;
                    case "stopping" -> ServerHealth.NOLB;
                    case "down" -> ServerHealth.DOWN;
                    default -> throw new CliError("'set server <srv> health' expects 'up', 'stopping', or 'down'.\n");
                };
                server.forceHealth(health);
                return "";
            }
            case "addr" -> {
                if (r.arg(4).isEmpty()) {
                    throw new CliError("set server <b>/<s> addr requires an address and optionally a port.\n");
                }
                String port = r.arg(5).equals("port") ? r.arg(6) : null;
                return address(server, r.arg(4), port);
            }
            case "agent", "agent-addr", "agent-port", "agent-send", "check-addr", "check-port", "fqdn", "ssl" ->
                throw new CliError("'set server <srv> " + what + "' is not supported by luagate.\n");
            default -> throw new CliError("usage: set server <backend>/<server> "
                    + "addr | agent | agent-addr | agent-port | agent-send | "
                    + "check-addr | check-port | fqdn | health | ssl | "
                    + "state | weight\n");
        }
    }

    /** HAProxy's {@code server_parse_weight_change_request}, texts without a final LF included. */
    static String weight(Server server, String text) {
        if (text.isEmpty()) {
            throw new CliError("Require <weight> or <weight%>.\n");
        }
        Strtol parsed = Strtol.parse(text);
        if (parsed.end() == 0) {
            throw new CliError("Empty weight string empty or preceded by garbage");
        }
        long w = parsed.value();
        String rest = text.substring(parsed.end());
        if (rest.equals("%")) {
            if (w < 0) {
                throw new CliError("Relative weight must be positive.\n");
            }
            w = Math.min(w, 25600);
            w = server.initialWeight() * w / 100;
            w = Math.min(w, 256);
        } else if (w < 0 || w > 256) {
            throw new CliError("Absolute weight can only be between 0 and 256 inclusive.\n");
        } else if (!rest.isEmpty()) {
            throw new CliError("Trailing garbage in weight string");
        }
        server.setWeight((int) w);
        return "";
    }

    /** HAProxy's {@code srv_update_addr_port}: the message says what changed, and is not an error. */
    static String address(Server server, String addr, String port) {
        InetAddress address = ipLiteral(addr);
        if (address == null) {
            return "Invalid addr '" + addr + "'" + UPDATER;
        }
        InetSocketAddress current = server.address();
        StringBuilder msg = new StringBuilder();
        InetAddress newAddress = current.getAddress();
        boolean changed = false;
        if (address.equals(current.getAddress())) {
            msg.append("no need to change the addr");
        } else {
            msg.append("IP changed from '").append(current.getAddress().getHostAddress()).append("' to '").append(addr)
                    .append("'");
            newAddress = address;
            changed = true;
        }
        int newPort = current.getPort();
        if (port != null) {
            msg.append(", ");
            Strtol parsed = Strtol.parse(port);
            if (parsed.end() == 0) {
                msg.append("problem converting port '").append(port).append("' to an int");
                if (changed) {
                    server.setAddress(new InetSocketAddress(newAddress, newPort));
                }
                return msg + UPDATER;
            }
            char sign = port.charAt(0);
            if (sign == '+' || sign == '-') {
                msg.append("can't change <port> to port map: luagate servers have no port mapping");
                if (changed) {
                    server.setAddress(new InetSocketAddress(newAddress, newPort));
                }
                return msg + UPDATER;
            }
            // HAProxy stores the port in 16 bits.
            int candidate = (int) (parsed.value() & 0xffff);
            if (candidate != current.getPort()) {
                msg.append("port changed from '").append(current.getPort()).append("' to '").append(candidate).append("'");
                newPort = candidate;
                changed = true;
            } else {
                msg.append("no need to change the port");
            }
        }
        if (changed) {
            server.setAddress(new InetSocketAddress(newAddress, newPort));
        }
        return msg + UPDATER;
    }

    /** An IPv4 or IPv6 literal (no name is ever looked up), or {@code null}. */
    static InetAddress ipLiteral(String text) {
        if (text.matches("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}")
                || (text.contains(":") && text.matches("[0-9A-Fa-f:.]+"))) {
            try {
                return InetAddress.getByName(text);
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }
}
