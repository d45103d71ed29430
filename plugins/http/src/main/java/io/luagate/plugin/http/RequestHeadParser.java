package io.luagate.plugin.http;

import io.luagate.spi.http.HttpToken;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns a complete request head (its lines already found, each ended by CRLF, by
 * {@link RequestDecoder}) into Netty's request object, or refuses it with an
 * {@link IllegalArgumentException}. The request line is {@code method SP target SP version}, blanks
 * between its parts taken as one (as HAProxy 2.6.12 does); the method is a token; a header name is
 * a token followed at once by its colon; a line that starts with a blank continues the previous
 * header (obs-fold, unfolded to one blank). Values are checked by Netty's validating headers; what
 * HAProxy refuses beyond the syntax (targets, versions, Host) is {@link RequestHeadCheck}'s.
 *
 * <p>The head is copied once into a scratch array of the event loop's thread and read there (a
 * buffer's per-byte access checks cost more than the copy). The usual methods, versions and header
 * names map to shared constants, and a target or value the loop read lately to the String it made
 * then ({@link RecentValues}, credentials aside), so a plain GET like the one before it, with
 * header names among the usual ones, costs no String at all.
 */
final class RequestHeadParser {

    private static final HttpMethod[] METHODS = {
        HttpMethod.GET, HttpMethod.POST, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.DELETE,
        HttpMethod.OPTIONS, HttpMethod.PATCH, HttpMethod.TRACE, HttpMethod.CONNECT,
    };
    private static final byte[] HTTP_1_ = {'H', 'T', 'T', 'P', '/', '1', '.'};
    /** Header names as clients and servers commonly spell them, by length: reused instead of copied. */
    private static final AsciiString[][] NAMES = names(
            "Host", "host", "User-Agent", "user-agent", "Accept", "accept", "Accept-Encoding", "accept-encoding",
            "Accept-Language", "accept-language", "Connection", "connection", "Content-Length", "content-length",
            "Content-Type", "content-type", "Transfer-Encoding", "transfer-encoding", "Cookie", "cookie",
            "Authorization", "authorization", "Referer", "referer", "Upgrade", "upgrade", "Expect", "expect",
            "Cache-Control", "cache-control", "Origin", "origin", "X-Forwarded-For", "x-forwarded-for",
            "If-None-Match", "if-none-match", "If-Modified-Since", "if-modified-since", "Range", "range",
            "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions",
            "Pragma", "Keep-Alive", "TE", "te",
            "Date", "date", "Server", "server", "Set-Cookie", "set-cookie", "Location", "location",
            "Last-Modified", "ETag", "etag", "Vary", "vary", "Content-Encoding", "content-encoding", "Expires",
            "Accept-Ranges", "Access-Control-Allow-Origin");

    /** One scratch array per thread, grown to the largest head it has read. */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[2048];
        }
    };

    private RequestHeadParser() {
    }

    /** The bytes {@code [start, end)} of {@code in}, copied into this thread's scratch array from index 0. */
    static byte[] copy(ByteBuf in, int start, int end) {
        byte[] scratch = SCRATCH.get();
        if (scratch.length < end - start) {
            scratch = new byte[Math.max(end - start, 2 * scratch.length)];
            SCRATCH.set(scratch);
        }
        in.getBytes(start, scratch, 0, end - start);
        return scratch;
    }

    /**
     * Reads the head in {@code [start, end)}: the request line, the header lines, the empty line.
     *
     * @throws IllegalArgumentException when it is not a request head HAProxy would read
     */
    static HttpRequest parse(ByteBuf in, int start, int end) {
        byte[] b = copy(in, start, end);
        int length = end - start;
        int lineEnd = indexOfLf(b, 0, length) - 1;
        int i = 0;
        while (i < lineEnd && HttpToken.isTokenChar(b[i])) {
            i++;
        }
        HttpMethod method = method(b, i);
        int targetStart = skipBlanks(b, i, lineEnd);
        if (i == 0 || targetStart == i || targetStart == lineEnd) {
            throw new IllegalArgumentException("malformed request line");
        }
        int targetEnd = targetStart;
        while (targetEnd < lineEnd && !HttpChars.isBlank(b[targetEnd])) {
            targetEnd++;
        }
        int versionStart = skipBlanks(b, targetEnd, lineEnd);
        if (versionStart == targetEnd || versionStart == lineEnd) {
            throw new IllegalArgumentException("no HTTP version in the request line");
        }
        HttpVersion version = version(b, versionStart, lineEnd);
        RecentValues recent = RecentValues.current();
        String target = recent.string(b, targetStart, targetEnd - targetStart);
        HttpRequest request = new DefaultHttpRequest(version, method, target, ParsedHttpHeaders.create());
        headers(b, lineEnd + 2, length, request.headers(), recent);
        return request;
    }

    /**
     * Adds the header lines in {@code [start, end)} (the empty line included) to {@code headers}.
     * Also reads a chunked body's trailer section.
     */
    static void headers(ByteBuf in, int start, int end, HttpHeaders headers) {
        headers(copy(in, start, end), 0, end - start, headers);
    }

    /**
     * Adds the header lines in {@code [start, end)} of a copied head (the empty line included) to
     * {@code headers}. A {@link ParsedHttpHeaders} map takes the names without checking them again:
     * each is a token here before it is added.
     */
    static void headers(byte[] b, int start, int end, HttpHeaders headers) {
        headers(b, start, end, headers, RecentValues.current());
    }

    private static void headers(byte[] b, int start, int end, HttpHeaders headers, RecentValues recent) {
        if (headers instanceof ParsedHttpHeaders parsed) {
            parsed.parsedNames(true);
            try {
                addLines(b, start, end, headers, recent);
            } finally {
                parsed.parsedNames(false);
            }
        } else {
            addLines(b, start, end, headers, recent);
        }
    }

    private static void addLines(byte[] b, int start, int end, HttpHeaders headers, RecentValues recent) {
        AsciiString name = null;
        String value = null;
        int i = start;
        while (true) {
            int lineEnd = indexOfLf(b, i, end) - 1;
            if (lineEnd == i) {
                break;
            }
            if (HttpChars.isBlank(b[i])) {
                if (name == null) {
                    throw new IllegalArgumentException("a folded line without a header before it");
                }
                // obs-fold: the line continues the value, joined by one blank.
                int from = skipBlanks(b, i, lineEnd);
                int to = trimEnd(b, from, lineEnd);
                if (to > from) {
                    String more = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
                    value = value.isEmpty() ? more : value + ' ' + more;
                }
            } else {
                if (name != null) {
                    headers.add(name, value);
                }
                int colon = i;
                while (colon < lineEnd && HttpToken.isTokenChar(b[colon])) {
                    colon++;
                }
                if (colon == i || colon == lineEnd || b[colon] != ':') {
                    throw new IllegalArgumentException("malformed header line");
                }
                name = name(b, i, colon - i);
                int from = skipBlanks(b, colon + 1, lineEnd);
                int to = trimEnd(b, from, lineEnd);
                if (to <= from) {
                    value = "";
                } else if (credential(name)) {
                    value = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
                } else {
                    value = recent.string(b, from, to - from);
                }
            }
            i = lineEnd + 2;
        }
        if (name != null) {
            headers.add(name, value);
        }
    }

    /**
     * Whether a header carries a client's or a server's credentials: its values stay out of
     * {@link RecentValues}, which would keep them past their request, for as long as nothing
     * takes their slot (heap and core dumps). They are rarely the same for two clients anyway.
     */
    private static boolean credential(AsciiString name) {
        return switch (name.length()) {
            case 6 -> name.contentEqualsIgnoreCase(HttpHeaderNames.COOKIE);
            case 10 -> name.contentEqualsIgnoreCase(HttpHeaderNames.SET_COOKIE);
            case 13 -> name.contentEqualsIgnoreCase(HttpHeaderNames.AUTHORIZATION);
            case 19 -> name.contentEqualsIgnoreCase(HttpHeaderNames.PROXY_AUTHORIZATION);
            default -> false;
        };
    }

    /** The index of the next LF; the caller knows there is one. */
    private static int indexOfLf(byte[] b, int i, int end) {
        while (i < end && b[i] != HttpChars.LF) {
            i++;
        }
        return i;
    }

    private static HttpMethod method(byte[] b, int length) {
        for (HttpMethod method : METHODS) {
            AsciiString name = method.asciiName();
            if (name.length() == length && matches(b, 0, name)) {
                return method;
            }
        }
        return HttpMethod.valueOf(new String(b, 0, length, StandardCharsets.US_ASCII));
    }

    /** HTTP/1.1 and HTTP/1.0 as Netty's shared instances; anything else as Netty reads it. */
    private static HttpVersion version(byte[] b, int start, int end) {
        for (int i = start; i < end; i++) {
            if (b[i] <= ' ' || b[i] == 0x7f) {
                throw new IllegalArgumentException("a control character or a blank in the HTTP version");
            }
        }
        if (end - start == 8 && Arrays.equals(b, start, start + 7, HTTP_1_, 0, 7)) {
            if (b[start + 7] == '1') {
                return HttpVersion.HTTP_1_1;
            }
            if (b[start + 7] == '0') {
                return HttpVersion.HTTP_1_0;
            }
        }
        return HttpVersion.valueOf(new String(b, start, end - start, StandardCharsets.US_ASCII));
    }

    private static AsciiString name(byte[] b, int start, int length) {
        if (length < NAMES.length) {
            for (AsciiString known : NAMES[length]) {
                if (matches(b, start, known)) {
                    return known;
                }
            }
        }
        return new AsciiString(b, start, length, true);
    }

    private static boolean matches(byte[] b, int start, AsciiString name) {
        return Arrays.equals(b, start, start + name.length(), name.array(), name.arrayOffset(),
                name.arrayOffset() + name.length());
    }

    private static int skipBlanks(byte[] b, int i, int end) {
        while (i < end && HttpChars.isBlank(b[i])) {
            i++;
        }
        return i;
    }

    private static int trimEnd(byte[] b, int start, int end) {
        while (end > start && HttpChars.isBlank(b[end - 1])) {
            end--;
        }
        return end;
    }

    private static AsciiString[][] names(String... all) {
        int longest = 0;
        for (String name : all) {
            longest = Math.max(longest, name.length());
        }
        AsciiString[][] byLength = new AsciiString[longest + 1][];
        for (int length = 0; length <= longest; length++) {
            final int l = length;
            byLength[length] = Arrays.stream(all).filter(n -> n.length() == l)
                    .map(AsciiString::cached).toArray(AsciiString[]::new);
        }
        return byLength;
    }
}
