package io.luagate.plugin.lua.api;

import io.luagate.spi.proxy.Server;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * {@code Server:set_addr(addr [, port])} as HAProxy 2.6's {@code srv_update_addr_port} does it:
 * an IP literal (no DNS; {@code [v6]}, {@code "*"} and {@code ""} for any address), an optional
 * port, and a report that HAProxy returns in every case, success included, e.g.
 * {@code "IP changed from '127.0.0.1' to '127.0.0.2', port changed from '80' to '81' by 'Lua script'"}.
 * As in HAProxy, a valid address is applied even when the port that follows is refused.
 */
final class ServerAddressChange {

    private static final String UPDATER = " by 'Lua script'";

    private ServerAddressChange() {
    }

    /** Applies the change and returns HAProxy's report of it. */
    static String apply(Server server, String addr, String port) {
        InetSocketAddress current = server.address();
        InetAddress ip = parse(addr);
        if (ip == null) {
            return "Invalid addr '" + addr + "'" + UPDATER;
        }
        StringBuilder report = new StringBuilder();
        if (ip.equals(current.getAddress())) {
            report.append("no need to change the addr");
        } else {
            report.append("IP changed from '").append(NetUtil.toAddressString(current.getAddress()))
                    .append("' to '").append(addr).append('\'');
        }
        int newPort = current.getPort();
        if (port != null) {
            report.append(", ");
            newPort = portChange(port, current.getPort(), report);
        }
        if (!ip.equals(current.getAddress()) || newPort != current.getPort()) {
            server.setAddress(new InetSocketAddress(ip, newPort));
        }
        return report.append(UPDATER).toString();
    }

    /** Appends HAProxy's report for {@code port}; returns the new port, or the current one when refused or equal. */
    private static int portChange(String port, int currentPort, StringBuilder report) {
        Strtol read = Strtol.parse(port);
        if (read.end() == 0 || read.value() < 0 || read.value() > 65535) {
            report.append("problem converting port '").append(port).append("' to an int");
            return currentPort;
        }
        if (read.sign() != 0) {
            report.append("port mapping ('+N', '-N') is not supported by luagate");
            return currentPort;
        }
        if (read.value() == currentPort) {
            report.append("no need to change the port");
            return currentPort;
        }
        report.append("port changed from '").append(currentPort).append("' to '").append(read.value()).append('\'');
        return (int) read.value();
    }

    /** An IP literal as HAProxy's {@code str2ip2} reads it without resolving names; {@code null} if it is none. */
    private static InetAddress parse(String text) {
        String literal = text;
        if (literal.startsWith("[")) {
            if (literal.length() < 4 || !literal.endsWith("]")) {
                return null;
            }
            literal = literal.substring(1, literal.length() - 1);
        }
        if (literal.isEmpty() || literal.equals("*")) {
            literal = "0.0.0.0";
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
