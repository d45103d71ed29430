package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What stands between an HTTP/2 stream ({@link Http2ClientStream}) and its {@link HttpSessionHandler}: it turns
 * the stream's frames (as Netty's frame listener reads them) straight into the messages the exchange reads for HTTP/1.1 (a head, body
 * pieces, a last piece) and the response the exchange writes back into frames, and counts the
 * bytes for the access log (as {@link WireCounter} does on an HTTP/1.1 connection: DATA as its
 * payload, a header block as HTTP/1.1 would write it).
 *
 * <p>Request heads follow RFC 9113 section 8.3: {@code :authority} becomes {@code Host}, the
 * {@code cookie} fields are joined with {@code "; "} (section 8.2.3), the version is
 * {@code HTTP/2.0} (as HAProxy logs it and {@code req.ver} gives it), and a request with a body
 * but no {@code content-length} is marked chunked, so that it is framed that way toward an
 * HTTP/1.1 server. Response heads lose the connection-specific fields (section 8.2.2: those the
 * {@code Connection} field names too), keep {@code te} only as {@code trailers}, and have their
 * names lower-cased. A response with no body leaves as one HEADERS frame that ends the stream.
 * What {@link Http2RequestCheck} (with {@link Http2RequestFields}) and Netty's decoder already checked
 * on the connection (names, values, pseudo-headers, connection-specific fields, content-length) is
 * not checked again.
 *
 * <p>One per stream, confined to its connection's loop.
 */
final class Http2StreamBridge {

    /** The version of every request that came over HTTP/2. */
    static final HttpVersion HTTP_2 = new HttpVersion("HTTP", 2, 0, true);

    private static final HttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory();
    private static final AsciiString AUTHORITY = Http2Headers.PseudoHeaderName.AUTHORITY.value();
    /** What a header field costs in the HTTP/1.1 count beyond its name and value: ": " and CRLF. */
    private static final int FIELD_OVERHEAD = 4;
    /** The blank line that ends an HTTP/1.1 head. */
    private static final int HEAD_END = 2;
    /** {@code :status} and its three digits, counted as a field. */
    private static final int STATUS_SIZE = 7 + 3 + FIELD_OVERHEAD;
    /**
     * The lower-case names of the fields servers send most, by their case-insensitive hash: a
     * response's names are found here rather than copied in lower case one by one.
     */
    private static final AsciiString[] KNOWN_NAMES = new AsciiString[128];

    static {
        AsciiString[] names = {HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.DATE,
            HttpHeaderNames.SERVER, HttpHeaderNames.LAST_MODIFIED, HttpHeaderNames.ETAG, HttpHeaderNames.ACCEPT_RANGES,
            HttpHeaderNames.CACHE_CONTROL, HttpHeaderNames.EXPIRES, HttpHeaderNames.VARY, HttpHeaderNames.SET_COOKIE,
            HttpHeaderNames.LOCATION, HttpHeaderNames.CONTENT_ENCODING, HttpHeaderNames.AGE, HttpHeaderNames.PRAGMA,
            HttpHeaderNames.CONTENT_LANGUAGE, HttpHeaderNames.CONTENT_DISPOSITION, HttpHeaderNames.CONTENT_RANGE,
            HttpHeaderNames.X_FRAME_OPTIONS, HttpHeaderNames.VIA,
            HttpHeaderNames.WWW_AUTHENTICATE, HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, HttpHeaderNames.ALT_SVC};
        for (AsciiString name : names) {
            int slot = AsciiString.hashCode(name) & (KNOWN_NAMES.length - 1);
            if (KNOWN_NAMES[slot] == null) {
                KNOWN_NAMES[slot] = name;
            }
        }
    }

    private final WireCounter wire;
    private boolean headRead;
    /** The size of the fields {@link #toHttp2} last copied (as HTTP/1.1 would write them). */
    private long fieldsSize;

    Http2StreamBridge(WireCounter wire) {
        this.wire = wire;
    }

    /** Where the frames of a response go, in order (the one that ends the stream last). */
    interface Frames {
        void headers(Http2Headers headers, boolean endStream);

        void data(ByteBuf data, boolean endStream);
    }

    /** A DATA frame's payload, which the stream now owns, as the body piece the exchange reads. */
    HttpContent data(ByteBuf content, boolean endStream) {
        wire.received(content.readableBytes());
        return endStream ? new DefaultLastHttpContent(content) : new DefaultHttpContent(content);
    }

    /**
     * A HEADERS frame of stream {@code id} as the request head the exchange reads (the caller adds
     * the empty last piece when it ends the stream), or, after the head, as the trailer section (a
     * last piece).
     *
     * @throws Http2Exception.StreamException a request that cannot be served: the stream is reset with its code
     */
    HttpObject headers(int id, Http2Headers in, boolean endStream) throws Http2Exception.StreamException {
        if (headRead) {
            // The trailer section (Http2RequestCheck made sure it ends the stream and has no pseudo-header).
            LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, TRAILERS);
            long size;
            try {
                size = toHttp1(in, last.trailingHeaders(), false);
            } catch (IllegalArgumentException e) {
                throw streamError(id, e, "bad trailer field");
            }
            wire.received(size);
            return last;
        }
        headRead = true;
        CharSequence path = in.path();
        CharSequence method = in.method();
        if (path == null || method == null) {
            // CONNECT (no :path) is not served over HTTP/2: the stream is reset.
            wire.received(0);
            throw streamError(id, null, "a request without :path");
        }
        // Http2RequestFields checked every name as HPACK gave it (a lower-case token): the map takes
        // them unchecked, and checks whatever the rules or Lua add later.
        ParsedHttpHeaders headers = ParsedHttpHeaders.create();
        headers.parsedNames(true);
        long size;
        try {
            size = toHttp1(in, headers, !endStream);
        } catch (IllegalArgumentException e) {
            throw streamError(id, e, "bad header field");
        } finally {
            headers.parsedNames(false);
        }
        wire.received(size);
        return new DefaultHttpRequest(HTTP_2, method(method), path.toString(), headers);
    }

    private static Http2Exception.StreamException streamError(int id, Throwable cause, String what) {
        return (Http2Exception.StreamException) Http2Exception.streamError(id, Http2Error.PROTOCOL_ERROR, cause, what);
    }

    /**
     * Copies an HTTP/2 field section into {@code out}, HTTP/1.1's way, and gives its size as
     * HTTP/1.1 would write it (pseudo-headers included, as the access log always counted them).
     *
     * @param bodyFollows the request has a body: without a content-length it is marked chunked
     */
    private static long toHttp1(Http2Headers in, HttpHeaders out, boolean bodyFollows) {
        long size = HEAD_END;
        StringBuilder cookies = null;
        boolean lengthSet = false;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iterator(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> field = it.next();
            CharSequence name = field.getKey();
            CharSequence value = field.getValue();
            size += name.length() + value.length() + FIELD_OVERHEAD;
            if (name.length() > 0 && name.charAt(0) == ':') {
                if (AUTHORITY.contentEquals(name)) {
                    out.add(HttpHeaderNames.HOST, value);
                }
                // :method and :path are in the request line; :scheme is implied by the connection.
                continue;
            }
            if (HttpHeaderNames.COOKIE.contentEquals(name)) {
                if (cookies == null) {
                    cookies = new StringBuilder(value.length() + 32);
                } else {
                    cookies.append("; ");
                }
                cookies.append(value);
                continue;
            }
            if (HttpHeaderNames.TRANSFER_ENCODING.contentEquals(name) || HttpHeaderNames.TRAILER.contentEquals(name)
                    || HttpHeaderNames.CONNECTION.contentEquals(name)) {
                continue;
            }
            if (HttpHeaderNames.CONTENT_LENGTH.contentEquals(name)) {
                lengthSet = true;
            }
            out.add(name, value);
        }
        if (cookies != null) {
            out.add(HttpHeaderNames.COOKIE, cookies.toString());
        }
        if (bodyFollows && !lengthSet) {
            out.add(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        return size;
    }

    /** The method, without a string made for the common ones. */
    private static HttpMethod method(CharSequence name) {
        if (HttpMethod.GET.asciiName().contentEquals(name)) {
            return HttpMethod.GET;
        }
        if (HttpMethod.POST.asciiName().contentEquals(name)) {
            return HttpMethod.POST;
        }
        if (HttpMethod.HEAD.asciiName().contentEquals(name)) {
            return HttpMethod.HEAD;
        }
        return HttpMethod.valueOf(name.toString());
    }

    /**
     * Turns a response head and/or body piece the exchange writes into frames, given to {@code out}
     * in order (the one that ends the stream last). {@code msg} is released on a failure.
     */
    void write(Object msg, Frames out) {
        if (!(msg instanceof HttpResponse) && !(msg instanceof HttpContent)) {
            ReferenceCountUtil.release(msg);
            throw new IllegalArgumentException("not an HTTP message: " + msg);
        }
        try {
            writeHttp(msg, out);
        } catch (RuntimeException e) {
            ReferenceCountUtil.release(msg);
            throw e;
        }
    }

    private void writeHttp(Object msg, Frames out) {
        HttpContent content = msg instanceof HttpContent c ? c : null;
        LastHttpContent last = msg instanceof LastHttpContent l ? l : null;
        boolean trailers = last != null && !last.trailingHeaders().isEmpty();
        if (msg instanceof HttpResponse response) {
            Http2Headers head = toHttp2(response);
            long headSize = HEAD_END + STATUS_SIZE + fieldsSize;
            boolean interim = response.status().code() < 200;
            // A full message with nothing after its head ends the stream with it; an interim head never does.
            boolean alone = content == null || interim
                    || msg instanceof FullHttpMessage && !content.content().isReadable() && !trailers;
            if (alone) {
                ReferenceCountUtil.release(msg);
                writeHeaders(head, headSize, content != null && !interim, out);
                return;
            }
            writeHeaders(head, headSize, false, out);
        }
        ByteBuf body = content.content();
        if (last == null) {
            writeData(body, false, out);
            return;
        }
        // An empty last piece still ends the stream, unless trailers do (a full message's head already did).
        boolean dataFrame = body.isReadable() || !trailers && !(msg instanceof FullHttpMessage);
        if (!trailers) {
            if (dataFrame) {
                writeData(body, true, out);
            } else {
                body.release();
            }
            return;
        }
        Http2Fields trailerFields = Http2Fields.trailers(last.trailingHeaders().size());
        long trailersSize = HEAD_END + addFields(last.trailingHeaders(), trailerFields);
        if (dataFrame) {
            writeData(body, false, out);
        } else {
            body.release();
        }
        writeHeaders(trailerFields, trailersSize, true, out);
    }

    /** {@code size}: the section as HTTP/1.1 would write it, counted as it was made. */
    private void writeHeaders(Http2Headers headers, long size, boolean endStream, Frames out) {
        wire.sent(size);
        out.headers(headers, endStream);
    }

    private void writeData(ByteBuf data, boolean endStream, Frames out) {
        wire.sent(data.readableBytes());
        out.data(data, endStream);
    }

    private Http2Headers toHttp2(HttpResponse response) {
        HttpHeaders in = response.headers();
        // Not validated again: every name comes from HttpHeaders, which took only tokens (the HTTP/1.1
        // decoder's, the rules' and Lua's all validate), and addFields lower-cases it; that is what
        // an HTTP/2 name must be, and the check (a hash lookup per name) was a sizeable share of a
        // response's conversion. The fields are picked into an array that HPACK reads as it is,
        // not copied into a DefaultHttp2Headers (an entry and a hash per field, a table per head).
        Http2Fields out = Http2Fields.head(response.status().codeAsText(), in.size());
        fieldsSize = addFields(in, out);
        return out;
    }

    /**
     * Copies HTTP/1.1 fields into an HTTP/2 field section: names lower-cased, the
     * connection-specific ones left out with those the {@code Connection} field names (RFC 9113
     * section 8.2.2), {@code te} only as {@code trailers}. Gives their size as HTTP/1.1 would
     * write them, for the access log's count.
     */
    private static long addFields(HttpHeaders in, Http2Fields out) {
        long size = 0;
        List<String> connection = in.contains(HttpHeaderNames.CONNECTION) ? in.getAll(HttpHeaderNames.CONNECTION) : null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> field = it.next();
            AsciiString name = lowerCase(field.getKey());
            CharSequence value = field.getValue();
            if (connectionSpecific(name) || connection != null && named(connection, name)) {
                continue;
            }
            if (HttpHeaderNames.TE.contentEquals(name)) {
                if (hasToken(value, HttpHeaderValues.TRAILERS)) {
                    out.append(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
                    size += HttpHeaderNames.TE.length() + HttpHeaderValues.TRAILERS.length() + FIELD_OVERHEAD;
                }
                continue;
            }
            out.append(name, value);
            size += name.length() + value.length() + FIELD_OVERHEAD;
        }
        return size;
    }

    private static AsciiString lowerCase(CharSequence name) {
        AsciiString known = KNOWN_NAMES[AsciiString.hashCode(name) & (KNOWN_NAMES.length - 1)];
        return known != null && known.contentEqualsIgnoreCase(name) ? known : AsciiString.of(name).toLowerCase();
    }

    private static boolean connectionSpecific(AsciiString name) {
        return name.contentEquals(HttpHeaderNames.CONNECTION) || name.contentEquals(HttpHeaderNames.TRANSFER_ENCODING)
                || name.contentEquals(HttpHeaderNames.KEEP_ALIVE) || name.contentEquals(HttpHeaderNames.PROXY_CONNECTION)
                || name.contentEquals(HttpHeaderNames.UPGRADE) || name.contentEquals(HttpHeaderNames.HOST)
                || name.contentEquals(ExtensionHeaderNames.STREAM_ID.text()) || name.contentEquals(ExtensionHeaderNames.SCHEME.text())
                || name.contentEquals(ExtensionHeaderNames.PATH.text());
    }

    private static boolean named(List<String> connection, AsciiString name) {
        for (String line : connection) {
            if (hasToken(line, name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the comma-separated {@code list} holds {@code token} (ignoring case and blanks). */
    static boolean hasToken(CharSequence list, CharSequence token) {
        int n = list.length();
        int start = 0;
        while (start <= n) {
            int comma = start;
            while (comma < n && list.charAt(comma) != ',') {
                comma++;
            }
            int from = start;
            int to = comma;
            while (from < to && isBlank(list.charAt(from))) {
                from++;
            }
            while (to > from && isBlank(list.charAt(to - 1))) {
                to--;
            }
            if (to - from == token.length() && AsciiString.regionMatches(list, true, from, token, 0, to - from)) {
                return true;
            }
            start = comma + 1;
        }
        return false;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
