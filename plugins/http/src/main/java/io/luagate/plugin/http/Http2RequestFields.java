package io.luagate.plugin.http;

import io.luagate.spi.http.HttpToken;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Headers.PseudoHeaderName;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Map;

/**
 * A client's field section (a request head or its trailers) as Netty's HPACK decoder fills it,
 * checked field by field as each is added, in the order the client sent them: what RFC 9113
 * section 8.2 and 8.3 require of a request's fields, which Netty's own validation checked before
 * (its {@code validateHeaders}, now off: {@link Http2RequestFieldsDecoder}), and where the two
 * differ what HAProxy 2.6.12 refuses (checked by running it). Names are non-empty lower-case
 * tokens; pseudo-headers are the request's ({@code :method}, {@code :scheme},
 * {@code :authority}, {@code :path}, and {@code :protocol} as Netty took it), each at most once
 * and all ahead of the regular fields; no connection-specific field ({@code connection},
 * {@code keep-alive}, {@code proxy-connection}, {@code transfer-encoding}, {@code upgrade});
 * {@code te} only as {@code trailers}; no value starts with a blank or holds a control character
 * but HTAB (Netty's rule for every value, pseudo-headers' too, stricter than HAProxy's, which
 * refuses only NUL, CR and LF); {@code :method} is a non-empty token; {@code :path} is not empty,
 * starts with {@code /} (or is {@code *}) and has no blank or {@code #} (HAProxy's rules; Netty
 * refused an empty pseudo-header of any kind, HAProxy takes an empty {@code :authority} or
 * {@code :scheme}).
 *
 * <p>The first problem is kept, not thrown: HPACK must decode the whole block for its table to
 * stay in step, and a malformed request is a stream error ({@link Http2RequestCheck} resets the
 * stream), as it was with Netty's validation and is with HAProxy. The fields are still added:
 * nothing reads them once the check failed.
 *
 * <p>Why here and not in a pass over the headers afterwards: one look per field as HPACK gives it
 * costs less than Netty's (a hash look-up per pseudo-header for duplicates, one per name for its
 * kind). The fields are kept as {@link Http2Fields}, in the order the client sent them, which for
 * a request found well-formed is the order a {@code DefaultHttp2Headers} gave (pseudo-headers
 * first) without its hash table and entry per field. Besides {@code add} (HPACK's decoder) only
 * {@code setLong} is taken, as {@code DefaultHeaders} takes it (Netty's decoder sets a request's
 * {@code content-length} so, and calls no other mutator). One per HEADERS frame, confined to the
 * connection's loop.
 */
final class Http2RequestFields extends Http2Fields {

    private static final int METHOD = 1;
    private static final int SCHEME = 2;
    private static final int AUTHORITY = 4;
    private static final int PATH = 8;
    private static final int PROTOCOL = 16;

    /** The pseudo-headers added, as the bits above. */
    private int pseudoHeaders;
    private boolean regularSeen;
    private boolean connect;
    private boolean emptyName;
    /** A {@code content-length} field came (seen while the fields were still well-formed). */
    private boolean contentLength;
    private String problem;

    Http2RequestFields(int sizeGuess) {
        super(sizeGuess);
    }

    /**
     * {@code headers} as checked fields: themselves when the decoder made them, else a checked copy
     * (in the order {@code headers} gives them).
     */
    static Http2RequestFields of(Http2Headers headers) {
        if (headers instanceof Http2RequestFields fields) {
            return fields;
        }
        Http2RequestFields copy = new Http2RequestFields(headers.size());
        for (Map.Entry<CharSequence, CharSequence> field : headers) {
            copy.add(field.getKey(), field.getValue());
        }
        return copy;
    }

    @Override
    public Http2Headers add(CharSequence name, CharSequence value) {
        if (problem == null) {
            problem = check(name, value);
        }
        append(name, value);
        return this;
    }

    @Override
    public Http2Headers setLong(CharSequence name, long value) {
        replace(name, CONVERTER.convertLong(value));
        return this;
    }

    @Override
    public List<CharSequence> getAll(CharSequence name) {
        // Netty's decoder asks every request head for its content-length; most have none, and
        // the answer is known without a scan (nothing reads fields once a problem was found).
        if (name == HttpHeaderNames.CONTENT_LENGTH && !contentLength && problem == null) {
            return List.of();
        }
        return super.getAll(name);
    }

    /** What is wrong with the fields, or {@code null}. */
    String problem() {
        return problem;
    }

    /** A field without a name, which HAProxy's HPACK decoder refuses, ending the connection. */
    boolean hasEmptyName() {
        return emptyName;
    }

    boolean hasPseudoHeaders() {
        return pseudoHeaders != 0;
    }

    /**
     * What RFC 9113 section 8.3.1 requires of a request head's pseudo-headers: {@code :method},
     * and but for CONNECT {@code :scheme} and {@code :path} (neither empty, as {@link #add} saw).
     */
    String missingPseudoHeader() {
        if ((pseudoHeaders & METHOD) == 0) {
            return "no :method";
        }
        return connect || (pseudoHeaders & (SCHEME | PATH)) == (SCHEME | PATH) ? null : "no :scheme or :path";
    }

    private String check(CharSequence name, CharSequence value) {
        int length = name.length();
        if (length == 0) {
            emptyName = true;
            return "an empty field name";
        }
        if (name.charAt(0) == ':') {
            return pseudoHeader(name, value);
        }
        regularSeen = true;
        if (!lowerCaseToken(name)) {
            return "a field name that is not a lower-case token";
        }
        switch (length) {
            case 2:
                // Exactly "trailers", as HAProxy 2.6 wants it (Netty took any case).
                if (HttpHeaderNames.TE.contentEquals(name) && !HttpHeaderValues.TRAILERS.contentEquals(value)) {
                    return "te other than trailers";
                }
                break;
            case 7:
                if (HttpHeaderNames.UPGRADE.contentEquals(name)) {
                    return "a connection-specific field";
                }
                break;
            case 10:
                if (HttpHeaderNames.CONNECTION.contentEquals(name) || HttpHeaderNames.KEEP_ALIVE.contentEquals(name)) {
                    return "a connection-specific field";
                }
                break;
            case 14:
                contentLength |= HttpHeaderNames.CONTENT_LENGTH.contentEquals(name);
                break;
            case 16:
                if (HttpHeaderNames.PROXY_CONNECTION.contentEquals(name)) {
                    return "a connection-specific field";
                }
                break;
            case 17:
                if (HttpHeaderNames.TRANSFER_ENCODING.contentEquals(name)) {
                    return "a connection-specific field";
                }
                break;
            default:
                break;
        }
        return fieldContent(value) ? null : "a field value that starts with a blank or holds a control character";
    }

    private String pseudoHeader(CharSequence name, CharSequence value) {
        if (regularSeen) {
            return "a pseudo-header after a regular field";
        }
        int bit = pseudoHeaderBit(name);
        if (bit == 0) {
            return "a pseudo-header that is not a request's";
        }
        if ((pseudoHeaders & bit) != 0) {
            return "a pseudo-header twice";
        }
        pseudoHeaders |= bit;
        int length = value.length();
        if (length == 0 && (bit == METHOD || bit == PATH)) {
            return "an empty :method or :path";
        }
        if (!fieldContent(value)) {
            return "a pseudo-header's value that starts with a blank or holds a control character";
        }
        if (bit == METHOD) {
            // A token (RFC 9110 9.1): the request line to the server cannot carry another, and the
            // exchange's HttpMethod refuses one (HAProxy forwards a few such methods; here the stream
            // is reset rather than the connection failing with all its streams).
            if (!token(value)) {
                return "a :method that is not a token";
            }
            connect = AsciiString.contentEquals(value, "CONNECT");
        } else if (bit == PATH) {
            if (value.charAt(0) != '/' && !(length == 1 && value.charAt(0) == '*')) {
                return "a :path that is neither absolute nor *";
            }
            for (int i = 1; i < length; i++) {
                char c = value.charAt(i);
                if (c <= ' ' || c == '#') {
                    return "a blank or # in :path";
                }
            }
        }
        return null;
    }

    private static int pseudoHeaderBit(CharSequence name) {
        return switch (name.length()) {
            case 5 -> PseudoHeaderName.PATH.value().contentEquals(name) ? PATH : 0;
            case 7 -> PseudoHeaderName.METHOD.value().contentEquals(name) ? METHOD
                    : PseudoHeaderName.SCHEME.value().contentEquals(name) ? SCHEME : 0;
            case 9 -> PseudoHeaderName.PROTOCOL.value().contentEquals(name) ? PROTOCOL : 0;
            case 10 -> PseudoHeaderName.AUTHORITY.value().contentEquals(name) ? AUTHORITY : 0;
            default -> 0;
        };
    }

    private static boolean token(CharSequence value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!HttpToken.isTokenChar(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean lowerCaseToken(CharSequence name) {
        if (name instanceof AsciiString ascii) {
            byte[] bytes = ascii.array();
            for (int i = ascii.arrayOffset(), end = i + ascii.length(); i < end; i++) {
                if (!lowerCaseToken(bytes[i])) {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0xff || !lowerCaseToken((byte) c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean lowerCaseToken(byte b) {
        return HttpToken.isTokenChar(b) && (b < 'A' || b > 'Z');
    }

    /**
     * RFC 9110 field-content as Netty checked it (its HPACK decoder and headers both): no leading
     * blank, no control character but HTAB, no DEL; an empty value passes.
     */
    private static boolean fieldContent(CharSequence value) {
        int length = value.length();
        if (length == 0) {
            return true;
        }
        if (value instanceof AsciiString ascii) {
            byte[] bytes = ascii.array();
            int start = ascii.arrayOffset();
            int first = bytes[start] & 0xff;
            if (first < 0x21 || first == 0x7f) {
                return false;
            }
            for (int i = start + 1, end = start + length; i < end; i++) {
                int b = bytes[i] & 0xff;
                if (b < 0x20 && b != '\t' || b == 0x7f) {
                    return false;
                }
            }
            return true;
        }
        char first = value.charAt(0);
        if (first < 0x21 || first == 0x7f) {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
