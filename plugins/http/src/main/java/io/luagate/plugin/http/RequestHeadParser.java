package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;

/**
 * Turns a complete request head (its lines already found, each ended by CRLF, by
 * {@link RequestDecoder}) into Netty's request object, or refuses it with an
 * {@link IllegalArgumentException}. The request line is {@code method SP target SP version}, blanks
 * between its parts taken as one (as HAProxy 2.6.12 does); the method is a token; a header name is
 * a token followed at once by its colon; a line that starts with a blank continues the previous
 * header (obs-fold, unfolded to one blank). Values are checked by Netty's validating headers; what
 * HAProxy refuses beyond the syntax (targets, versions, Host) is {@link RequestHeadCheck}'s.
 *
 * <p>The usual methods, versions and header names map to shared constants, so a plain GET costs
 * Strings only for its target and its values.
 */
final class RequestHeadParser {

    private static final HttpMethod[] METHODS = {
        HttpMethod.GET, HttpMethod.POST, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.DELETE,
        HttpMethod.OPTIONS, HttpMethod.PATCH, HttpMethod.TRACE, HttpMethod.CONNECT,
    };
    private static final byte[] HTTP_1_ = {'H', 'T', 'T', 'P', '/', '1', '.'};
    /** Header names as clients commonly spell them, by length: reused instead of copied. */
    private static final AsciiString[][] NAMES = names(
            "Host", "host", "User-Agent", "user-agent", "Accept", "accept", "Accept-Encoding", "accept-encoding",
            "Accept-Language", "accept-language", "Connection", "connection", "Content-Length", "content-length",
            "Content-Type", "content-type", "Transfer-Encoding", "transfer-encoding", "Cookie", "cookie",
            "Authorization", "authorization", "Referer", "referer", "Upgrade", "upgrade", "Expect", "expect",
            "Cache-Control", "cache-control", "Origin", "origin", "X-Forwarded-For", "x-forwarded-for",
            "If-None-Match", "if-none-match", "If-Modified-Since", "if-modified-since", "Range", "range",
            "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions",
            "Pragma", "Keep-Alive", "TE", "te");

    private RequestHeadParser() {
    }

    /**
     * Reads the head in {@code [start, end)}: the request line, the header lines, the empty line.
     *
     * @throws IllegalArgumentException when it is not a request head HAProxy would read
     */
    static HttpRequest parse(ByteBuf in, int start, int end) {
        int lineEnd = in.indexOf(start, end, HttpChars.LF) - 1;
        int i = start;
        while (i < lineEnd && HttpChars.isToken(in.getByte(i))) {
            i++;
        }
        HttpMethod method = method(in, start, i);
        int targetStart = skipBlanks(in, i, lineEnd);
        if (targetStart == i || targetStart == lineEnd) {
            throw new IllegalArgumentException("malformed request line");
        }
        int targetEnd = targetStart;
        while (targetEnd < lineEnd && !HttpChars.isBlank(in.getByte(targetEnd))) {
            targetEnd++;
        }
        int versionStart = skipBlanks(in, targetEnd, lineEnd);
        if (versionStart == targetEnd || versionStart == lineEnd) {
            throw new IllegalArgumentException("no HTTP version in the request line");
        }
        HttpVersion version = version(in, versionStart, lineEnd);
        String target = in.toString(targetStart, targetEnd - targetStart, StandardCharsets.ISO_8859_1);
        HttpRequest request = new DefaultHttpRequest(version, method, target, DefaultHttpHeadersFactory.headersFactory());
        headers(in, lineEnd + 2, end, request.headers());
        return request;
    }

    /**
     * Adds the header lines in {@code [start, end)} (the empty line included) to {@code headers}.
     * Also reads a chunked body's trailer section.
     */
    static void headers(ByteBuf in, int start, int end, HttpHeaders headers) {
        AsciiString name = null;
        String value = null;
        int i = start;
        while (true) {
            int lineEnd = in.indexOf(i, end, HttpChars.LF) - 1;
            if (lineEnd == i) {
                break;
            }
            byte first = in.getByte(i);
            if (HttpChars.isBlank(first)) {
                if (name == null) {
                    throw new IllegalArgumentException("a folded line without a header before it");
                }
                // obs-fold: the line continues the value, joined by one blank.
                int from = skipBlanks(in, i, lineEnd);
                int to = trimEnd(in, from, lineEnd);
                if (to > from) {
                    String more = in.toString(from, to - from, StandardCharsets.ISO_8859_1);
                    value = value.isEmpty() ? more : value + ' ' + more;
                }
            } else {
                if (name != null) {
                    headers.add(name, value);
                }
                int colon = i;
                while (colon < lineEnd && HttpChars.isToken(in.getByte(colon))) {
                    colon++;
                }
                if (colon == i || colon == lineEnd || in.getByte(colon) != ':') {
                    throw new IllegalArgumentException("malformed header line");
                }
                name = name(in, i, colon - i);
                int from = skipBlanks(in, colon + 1, lineEnd);
                int to = trimEnd(in, from, lineEnd);
                value = to > from ? in.toString(from, to - from, StandardCharsets.ISO_8859_1) : "";
            }
            i = lineEnd + 2;
        }
        if (name != null) {
            headers.add(name, value);
        }
    }

    private static HttpMethod method(ByteBuf in, int start, int end) {
        int length = end - start;
        for (HttpMethod method : METHODS) {
            AsciiString name = method.asciiName();
            if (name.length() == length && matches(in, start, name)) {
                return method;
            }
        }
        return HttpMethod.valueOf(in.toString(start, length, StandardCharsets.US_ASCII));
    }

    /** HTTP/1.1 and HTTP/1.0 as Netty's shared instances; anything else as Netty reads it. */
    private static HttpVersion version(ByteBuf in, int start, int end) {
        for (int i = start; i < end; i++) {
            byte b = in.getByte(i);
            if (b <= ' ' || b == 0x7f) {
                throw new IllegalArgumentException("a control character or a blank in the HTTP version");
            }
        }
        if (end - start == 8) {
            int k = 0;
            while (k < HTTP_1_.length && in.getByte(start + k) == HTTP_1_[k]) {
                k++;
            }
            byte minor = in.getByte(start + 7);
            if (k == HTTP_1_.length && minor == '1') {
                return HttpVersion.HTTP_1_1;
            }
            if (k == HTTP_1_.length && minor == '0') {
                return HttpVersion.HTTP_1_0;
            }
        }
        return HttpVersion.valueOf(in.toString(start, end - start, StandardCharsets.US_ASCII));
    }

    private static AsciiString name(ByteBuf in, int start, int length) {
        if (length < NAMES.length) {
            for (AsciiString known : NAMES[length]) {
                if (matches(in, start, known)) {
                    return known;
                }
            }
        }
        byte[] bytes = new byte[length];
        in.getBytes(start, bytes);
        return new AsciiString(bytes, false);
    }

    private static boolean matches(ByteBuf in, int start, AsciiString name) {
        for (int k = 0; k < name.length(); k++) {
            if (in.getByte(start + k) != name.byteAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int skipBlanks(ByteBuf in, int i, int end) {
        while (i < end && HttpChars.isBlank(in.getByte(i))) {
            i++;
        }
        return i;
    }

    private static int trimEnd(ByteBuf in, int start, int end) {
        while (end > start && HttpChars.isBlank(in.getByte(end - 1))) {
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
            byLength[length] = java.util.Arrays.stream(all).filter(n -> n.length() == l)
                    .map(AsciiString::cached).toArray(AsciiString[]::new);
        }
        return byLength;
    }
}
