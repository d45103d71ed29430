package io.luagate.kernel.importer;

/**
 * HAProxy's {@code [ipv4@|ipv6@]host:port} addresses of binds and servers, written the way
 * luagate reads them ({@code host:port}, {@code *:port}, {@code [v6]:port}). Port ranges, offsets,
 * UNIX sockets and file descriptors have no luagate form: null.
 */
final class BindAddress {

    private BindAddress() {
    }

    /** A bind address: {@code :80} and {@code *:80} listen on every address. */
    static String translate(String text) {
        return parse(text, true);
    }

    /** A server address: host and port both required. */
    static String server(String text) {
        return parse(text, false);
    }

    private static String parse(String text, boolean bind) {
        boolean v6 = false;
        String rest = text;
        if (rest.startsWith("ipv4@")) {
            rest = rest.substring(5);
        } else if (rest.startsWith("ipv6@")) {
            rest = rest.substring(5);
            v6 = true;
        } else if (rest.contains("@") || rest.startsWith("/")) {
            return null;
        }
        int colon = rest.lastIndexOf(':');
        if (colon < 0) {
            return null;
        }
        String host = rest.substring(0, colon);
        String port = rest.substring(colon + 1);
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
            return null;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || host.equals("*")) {
            if (!bind) {
                return null;
            }
            return v6 ? "[::]:" + port : "*:" + port;
        }
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
