package io.luagate.plugin.lua.net;

import java.util.Locale;

/**
 * The parts of an HTTP client URL: {@code http[s]://host[:port][/path][?query]}.
 *
 * @param tls       whether the scheme is https
 * @param host      the host as written (an address or a name), without IPv6 brackets
 * @param port      the port, 80 (443 for https) when the URL has none
 * @param authority what the {@code Host} header carries: host and port as written
 * @param target    the origin-form request target: path and query, at least {@code /}
 */
public record HttpUrl(boolean tls, String host, int port, String authority, String target) {

    /** @throws IllegalArgumentException with a message for the script's author */
    public static HttpUrl parse(String url) {
        int colon = url.indexOf("://");
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + url + "' is not an absolute http:// or https:// URL");
        }
        String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
        boolean tls = scheme.equals("https");
        if (!tls && !scheme.equals("http")) {
            throw new IllegalArgumentException("'" + url + "': unsupported scheme '" + scheme + "' (http:// or https://)");
        }
        String rest = url.substring(colon + 3);
        int end = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        String authority = rest.substring(0, end);
        String target = rest.substring(end);
        int hash = target.indexOf('#');
        if (hash >= 0) {
            target = target.substring(0, hash);
        }
        if (target.isEmpty() || target.charAt(0) == '?') {
            target = "/" + target;
        }
        if (authority.isEmpty() || authority.indexOf('@') >= 0) {
            throw new IllegalArgumentException("'" + url + "': the URL needs a host (and no user information)");
        }
        String host;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + url + "': unclosed '[' in the host");
            }
            host = authority.substring(1, close);
            if (close + 1 < authority.length()) {
                if (authority.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("'" + url + "': bad host");
                }
                port = authority.substring(close + 2);
            }
        } else {
            int c = authority.lastIndexOf(':');
            host = c < 0 ? authority : authority.substring(0, c);
            port = c < 0 ? null : authority.substring(c + 1);
        }
        int number = tls ? 443 : 80;
        if (port != null && !port.isEmpty()) {
            if (port.length() > 5 || !port.chars().allMatch(ch -> ch >= '0' && ch <= '9')
                    || (number = Integer.parseInt(port)) < 1 || number > 65535) {
                throw new IllegalArgumentException("'" + url + "': bad port '" + port + "'");
            }
        }
        return new HttpUrl(tls, host, number, authority, target);
    }
}
