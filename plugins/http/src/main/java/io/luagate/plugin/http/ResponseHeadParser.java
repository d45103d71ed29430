package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Turns a complete response head (its lines already found, each ended by CRLF, by
 * {@link ResponseDecoder}) into Netty's response object, or refuses it with an
 * {@link IllegalArgumentException}. The status line is {@code HTTP/x.y SP status [SP reason]};
 * the header lines are read as a request's ({@link RequestHeadParser#headers}: a token name
 * followed at once by its colon, obs-fold unfolded, values checked by Netty's validating headers).
 *
 * <p>HTTP/1.1 and HTTP/1.0, and a status with its usual reason phrase, map to Netty's shared
 * constants: a usual response costs Strings only for its header values.
 */
final class ResponseHeadParser {

    private static final byte[] HTTP_1_ = {'H', 'T', 'T', 'P', '/', '1', '.'};
    /** The longest status code read: more digits cannot be a status (the exchange refuses above 599). */
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
        int lineEnd = in.indexOf(start, end, HttpChars.LF) - 1;
        int i = start;
        while (i < lineEnd && !HttpChars.isBlank(in.getByte(i))) {
            i++;
        }
        HttpVersion version = version(in, start, i);
        int codeStart = skipBlanks(in, i, lineEnd);
        int codeEnd = codeStart;
        int code = 0;
        while (codeEnd < lineEnd && codeEnd - codeStart < MAX_STATUS_DIGITS) {
            byte b = in.getByte(codeEnd);
            if (b < '0' || b > '9') {
                break;
            }
            code = code * 10 + b - '0';
            codeEnd++;
        }
        if (codeStart == i || codeEnd == codeStart || codeEnd < lineEnd && !HttpChars.isBlank(in.getByte(codeEnd))) {
            throw new IllegalArgumentException("malformed status line");
        }
        int reasonStart = skipBlanks(in, codeEnd, lineEnd);
        int reasonEnd = lineEnd;
        while (reasonEnd > reasonStart && HttpChars.isBlank(in.getByte(reasonEnd - 1))) {
            reasonEnd--;
        }
        HttpResponse response = new DefaultHttpResponse(version, status(in, code, reasonStart, reasonEnd),
                DefaultHttpHeadersFactory.headersFactory());
        RequestHeadParser.headers(in, lineEnd + 2, end, response.headers());
        return response;
    }

    /** HTTP/1.1 and HTTP/1.0 as Netty's shared instances; anything else as Netty reads it. */
    private static HttpVersion version(ByteBuf in, int start, int end) {
        if (end - start == 8) {
            boolean http1 = true;
            for (int k = 0; k < HTTP_1_.length && http1; k++) {
                http1 = in.getByte(start + k) == HTTP_1_[k];
            }
            byte minor = in.getByte(start + 7);
            if (http1 && minor == '1') {
                return HttpVersion.HTTP_1_1;
            }
            if (http1 && minor == '0') {
                return HttpVersion.HTTP_1_0;
            }
        }
        for (int k = start; k < end; k++) {
            byte b = in.getByte(k);
            if (b < ' ' || b == 0x7f) {
                throw new IllegalArgumentException("a control character in the HTTP version");
            }
        }
        return HttpVersion.valueOf(in.toString(start, end - start, StandardCharsets.US_ASCII));
    }

    /** The status with the server's reason phrase: Netty's constant when the phrase is the usual one. */
    private static HttpResponseStatus status(ByteBuf in, int code, int reasonStart, int reasonEnd) {
        HttpResponseStatus usual = HttpResponseStatus.valueOf(code);
        String phrase = usual.reasonPhrase();
        if (phrase.length() == reasonEnd - reasonStart) {
            boolean same = true;
            for (int k = 0; k < phrase.length() && same; k++) {
                same = in.getByte(reasonStart + k) == phrase.charAt(k);
            }
            if (same) {
                return usual;
            }
        }
        return HttpResponseStatus.valueOf(code, in.toString(reasonStart, reasonEnd - reasonStart, StandardCharsets.ISO_8859_1));
    }

    private static int skipBlanks(ByteBuf in, int i, int end) {
        while (i < end && HttpChars.isBlank(in.getByte(i))) {
            i++;
        }
        return i;
    }
}
