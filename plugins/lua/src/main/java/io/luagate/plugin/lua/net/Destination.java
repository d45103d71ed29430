package io.luagate.plugin.lua.net;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Where a Lua socket or HTTP client connects: an IP address and port, or a Unix socket path.
 * Parsed from HAProxy's address syntax without any DNS look-up: luagate resolves no names at run
 * time (CORE-PRINCIPLES 1), so a host name is refused with a message that says so.
 *
 * @param inet     the IP destination, or {@code null} for a Unix socket
 * @param unixPath the Unix socket path, or {@code null} for an IP destination
 */
public record Destination(InetSocketAddress inet, String unixPath) {

    /**
     * Reads HAProxy's forms: {@code 1.2.3.4:80}, {@code [::1]:80}, {@code ipv4@1.2.3.4:80},
     * {@code ipv6@::1} (with {@code port}), {@code unix@/path} and {@code /path}.
     *
     * @param port the port given apart from the address, or {@code -1}; with it the address holds
     *             no port (a bare IPv6 address may then go without brackets)
     * @throws IllegalArgumentException with a message for the script's author
     */
    public static Destination parse(String text, int port) {
        String rest = text;
        int family = 0;
        if (rest.startsWith("unix@")) {
            return unix(rest.substring(5), text);
        }
        if (rest.startsWith("/")) {
            return unix(rest, text);
        }
        if (rest.startsWith("ipv4@")) {
            family = 4;
            rest = rest.substring(5);
        } else if (rest.startsWith("ipv6@")) {
            family = 6;
            rest = rest.substring(5);
        } else if (rest.startsWith("abns@") || rest.startsWith("fd@") || rest.startsWith("sockpair@")
                || rest.startsWith("udp@") || rest.startsWith("udp4@") || rest.startsWith("udp6@")
                || rest.startsWith("quic4@") || rest.startsWith("quic6@")) {
            throw new IllegalArgumentException("'" + text + "': this address family is not supported by luagate "
                    + "(use an IP address or unix@/path)");
        }
        String host;
        int p;
        if (port >= 0) {
            host = unbracket(rest);
            p = port;
        } else if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0 || close + 1 >= rest.length() || rest.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + text + "': port missing");
            }
            host = rest.substring(1, close);
            p = port(rest.substring(close + 2), text);
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon < 0 || rest.indexOf(':') != colon) {
                // No colon, or a bare IPv6 address whose last group cannot be told from a port.
                throw new IllegalArgumentException("'" + text + "': port missing");
            }
            host = rest.substring(0, colon);
            p = port(rest.substring(colon + 1), text);
        }
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("'" + text + "': port " + p + " out of range (1-65535)");
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(host);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + host + "' is not an IP address; luagate does no DNS "
                    + "look-ups at run time, so use an address (resolve the name at load time if needed)");
        }
        if ((family == 4 && bytes.length != 4) || (family == 6 && bytes.length != 16)) {
            throw new IllegalArgumentException("'" + text + "': not an IPv" + family + " address");
        }
        try {
            return new Destination(new InetSocketAddress(InetAddress.getByAddress(bytes), p), null);
        } catch (java.net.UnknownHostException e) {
            // getByAddress only fails on a bad length, which the parser never gives.
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code text} as {@link #parse} does, taking {@code defaultPort} when the address holds
     * none (HAProxy's HTTP client {@code dst}, whose port may come from the URL).
     */
    public static Destination parse(String text, int defaultPort, boolean portOptional) {
        if (!portOptional) {
            return parse(text, -1);
        }
        String rest = text;
        for (String prefix : new String[] {"ipv4@", "ipv6@"}) {
            if (rest.startsWith(prefix)) {
                rest = rest.substring(prefix.length());
            }
        }
        boolean hasPort = rest.startsWith("[") ? rest.contains("]:")
                : rest.indexOf(':') >= 0 && rest.indexOf(':') == rest.lastIndexOf(':');
        if (hasPort || rest.startsWith("/") || text.startsWith("unix@")) {
            return parse(text, -1);
        }
        String bare = rest.startsWith("[") && rest.endsWith("]") ? rest.substring(1, rest.length() - 1) : rest;
        return parse(text.substring(0, text.length() - rest.length()) + bare, defaultPort);
    }

    private static Destination unix(String path, String text) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "': empty socket path");
        }
        return new Destination(null, path);
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int port(String digits, String text) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + text + "': bad port '" + digits + "'");
        }
        return Integer.parseInt(digits);
    }

    /** Whether this is a Unix socket path. */
    public boolean unix() {
        return unixPath != null;
    }

    @Override
    public String toString() {
        return unix() ? unixPath : inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }
}
