package io.luagate.plugin.http;

import io.luagate.spi.http.AsciiFold;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Iterator;

/**
 * What HAProxy 2.6.12's HTTP/1 parser refuses in a request head beyond its syntax, which
 * {@link RequestDecoder} already judged (bad header names, bare LF, bad Content-Length values,
 * Transfer-Encoding lists that do not end in chunked). Each case was checked against the real
 * HAProxy; the smuggling corpus in the tests ({@code framing/*.txt}) records its answers.
 */
final class RequestHeadCheck {

    /** The request may go on. */
    static final int ACCEPTED = TransferCodings.CHUNKED_OR_NONE;

    private RequestHeadCheck() {
    }

    /**
     * Checks a decoded request head; merges repeated identical {@code Host} lines into one, as
     * HAProxy does.
     *
     * @param maxHeaders {@code tune.http.maxhdr}
     * @return {@link #ACCEPTED}, or the status to refuse it with (the connection then closes)
     */
    static int check(HttpRequest request, int maxHeaders) {
        HttpHeaders headers = request.headers();
        // HAProxy keeps one slot of tune.http.maxhdr for the end of its header list.
        if (headers.size() >= maxHeaders) {
            return 400;
        }
        if (!canonicalVersion(request.protocolVersion())) {
            return 400;
        }
        String uri = request.uri();
        if (!validTarget(request.method(), uri)) {
            return 400;
        }
        Iterator<String> hosts = headers.valueStringIterator(HttpHeaderNames.HOST);
        String host = hosts.hasNext() ? hosts.next() : null;
        if (hosts.hasNext()) {
            // Repeated Host lines must all say the same; HAProxy then keeps one.
            while (hosts.hasNext()) {
                if (!AsciiFold.equalsIgnoreCase(host, hosts.next())) {
                    return 400;
                }
            }
            headers.set(HttpHeaderNames.HOST, host);
        }
        if (host != null && uri.charAt(0) != '/' && uri.indexOf("://") > 0 && !sameAuthority(uri, host)) {
            return 400;
        }
        return TransferCodings.judge(headers);
    }

    /**
     * The decoder hands out Netty's shared instances only for the exact {@code HTTP/1.0} and
     * {@code HTTP/1.1}, and Netty upper-cases any other version it reads: a fresh 1.0 or 1.1
     * instance was written in another case ({@code http/1.1}), which HAProxy refuses.
     */
    private static boolean canonicalVersion(HttpVersion version) {
        if (version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0) {
            return true;
        }
        return "HTTP".equals(version.protocolName()) && (version.majorVersion() != 1 || version.minorVersion() > 1);
    }

    /**
     * The request target: printable US-ASCII without a fragment, in origin-form ({@code /...}),
     * asterisk-form, absolute-form ({@code scheme://...}); authority-form only for CONNECT.
     */
    private static boolean validTarget(HttpMethod method, String uri) {
        if (uri.isEmpty()) {
            return false;
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            // HAProxy lets DEL through, but no control, space, non-ASCII byte or '#'.
            if (c <= ' ' || c > 0x7f || c == '#') {
                return false;
            }
        }
        char first = uri.charAt(0);
        if (first == '/' || method == HttpMethod.CONNECT || uri.equals("*")) {
            return true;
        }
        return schemeLength(uri) > 0;
    }

    /** The length of {@code scheme} when {@code uri} starts with {@code scheme://}, else 0. */
    private static int schemeLength(String uri) {
        int i = 0;
        while (i < uri.length()) {
            char c = uri.charAt(i);
            boolean alpha = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
            if (!(alpha || i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'))) {
                break;
            }
            i++;
        }
        return i > 0 && uri.startsWith("://", i) ? i : 0;
    }

    /**
     * Whether an absolute-form target names the same authority as Host: compared without case
     * and without the scheme's default port, as HAProxy normalizes both before it compares.
     */
    private static boolean sameAuthority(String uri, String host) {
        int scheme = schemeLength(uri);
        int start = scheme + 3;
        int end = start;
        while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?') {
            end++;
        }
        String defaultPort = uri.regionMatches(true, 0, "https", 0, 5) && scheme == 5 ? ":443"
                : uri.regionMatches(true, 0, "http", 0, 4) && scheme == 4 ? ":80" : null;
        String authority = withoutPort(uri.substring(start, end), defaultPort);
        return AsciiFold.equalsIgnoreCase(authority, withoutPort(host.trim(), defaultPort));
    }

    private static String withoutPort(String authority, String defaultPort) {
        return defaultPort != null && authority.endsWith(defaultPort)
                ? authority.substring(0, authority.length() - defaultPort.length()) : authority;
    }
}
