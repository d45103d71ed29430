package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns a complete response head (its lines already found, each ended by CRLF, by
 * {@link ResponseDecoder}) into Netty's response object, or refuses it with an
 * {@link IllegalArgumentException}. The status line is {@code HTTP/x.y SP status [SP reason]};
 * the header lines are read as a request's ({@link RequestHeadParser#headers}: a token name
 * followed at once by its colon, obs-fold unfolded, values checked by Netty's validating headers).
 *
 * <p>HTTP/1.1 and HTTP/1.0, and a status with its usual reason phrase, map to Netty's shared
 * constants: a usual response costs Strings only for its header values. A status not written as
 * three digits ({@code 0200}) keeps its digits for the client ({@link VerbatimStatus}).
 */
final class ResponseHeadParser {

    private static final byte[] HTTP_1_ = {'H', 'T', 'T', 'P', '/', '1', '.'};
    /** The longest status code read: more digits cannot be a status (the exchange refuses above 999). */
    private static final int MAX_STATUS_DIGITS = 6;

    private ResponseHeadParser() {
    }

    /**
     * Reads the head in {@code [start, end)}: the status line, the header lines, the empty line.
     * The caller has checked that the line starts with {@code HTTP/} and that each line ends with CRLF.
     *
     * @throws IllegalArgumentException when it is not a response head HAProxy would read
     */
    static HttpResponse parse(ByteBuf in, int start, int end) {
        // Read from a copy: a buffer's per-byte access checks cost more than the copy.
        byte[] b = RequestHeadParser.copy(in, start, end);
        int length = end - start;
        int lineEnd = indexOfLf(b, 0, length) - 1;
        int i = 0;
        while (i < lineEnd && !HttpChars.isBlank(b[i])) {
            i++;
        }
        HttpVersion version = version(b, 0, i);
        int codeStart = skipBlanks(b, i, lineEnd);
        int codeEnd = codeStart;
        int code = 0;
        while (codeEnd < lineEnd && codeEnd - codeStart < MAX_STATUS_DIGITS && b[codeEnd] >= '0' && b[codeEnd] <= '9') {
            code = code * 10 + b[codeEnd] - '0';
            codeEnd++;
        }
        if (codeStart == i || codeEnd == codeStart || codeEnd < lineEnd && !HttpChars.isBlank(b[codeEnd])) {
            throw new IllegalArgumentException("malformed status line");
        }
        int reasonStart = skipBlanks(b, codeEnd, lineEnd);
        int reasonEnd = lineEnd;
        while (reasonEnd > reasonStart && HttpChars.isBlank(b[reasonEnd - 1])) {
            reasonEnd--;
        }
        HttpResponseStatus status = codeEnd - codeStart == 3 && b[codeStart] != '0' ? status(b, code, reasonStart, reasonEnd)
                : new VerbatimStatus(code, new String(b, codeStart, codeEnd - codeStart, StandardCharsets.US_ASCII),
                        new String(b, reasonStart, reasonEnd - reasonStart, StandardCharsets.ISO_8859_1));
        HttpResponse response = new DefaultHttpResponse(version, status, ParsedHttpHeaders.create());
        RequestHeadParser.headers(b, lineEnd + 2, length, response.headers());
        return response;
    }

    private static int indexOfLf(byte[] b, int i, int end) {
        while (i < end && b[i] != HttpChars.LF) {
            i++;
        }
        return i;
    }

    /** HTTP/1.1 and HTTP/1.0 as Netty's shared instances; anything else as Netty reads it. */
    private static HttpVersion version(byte[] b, int start, int end) {
        if (end - start == 8 && Arrays.equals(b, start, start + 7, HTTP_1_, 0, 7)) {
            if (b[start + 7] == '1') {
                return HttpVersion.HTTP_1_1;
            }
            if (b[start + 7] == '0') {
                return HttpVersion.HTTP_1_0;
            }
        }
        for (int k = start; k < end; k++) {
            if (b[k] < ' ' || b[k] == 0x7f) {
                throw new IllegalArgumentException("a control character in the HTTP version");
            }
        }
        return HttpVersion.valueOf(new String(b, start, end - start, StandardCharsets.US_ASCII));
    }

    /** The status with the server's reason phrase: Netty's constant when the phrase is the usual one. */
    private static HttpResponseStatus status(byte[] b, int code, int reasonStart, int reasonEnd) {
        HttpResponseStatus usual = HttpResponseStatus.valueOf(code);
        String phrase = usual.reasonPhrase();
        if (phrase.length() == reasonEnd - reasonStart) {
            boolean same = true;
            for (int k = 0; k < phrase.length() && same; k++) {
                same = b[reasonStart + k] == phrase.charAt(k);
            }
            if (same) {
                return usual;
            }
        }
        return HttpResponseStatus.valueOf(code, new String(b, reasonStart, reasonEnd - reasonStart, StandardCharsets.ISO_8859_1));
    }

    private static int skipBlanks(byte[] b, int i, int end) {
        while (i < end && HttpChars.isBlank(b[i])) {
            i++;
        }
        return i;
    }
}
