package io.luagate.plugin.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;

/**
 * Translates one stream of an HTTP/2 server connection to and from the HTTP/1.1 messages the
 * exchange speaks, as HAProxy's muxes do between H1 and H2 (RFC 9113 section 8.2.2, 8.3.1):
 *
 * <ul>
 * <li>request: the head becomes {@code :method}, {@code :scheme}, {@code :authority} (from Host, or
 *     an absolute-form target) and {@code :path}; the connection-specific headers (Connection and
 *     what it names, Keep-Alive, Proxy-Connection, Transfer-Encoding, Upgrade, Host) go; TE stays
 *     only as {@code trailers}; body pieces become DATA and request trailers a last HEADERS. A head
 *     waits for what follows it until a flush, so a request without a body is one HEADERS frame.</li>
 * <li>response: HEADERS becomes a head (HTTP/1.1), chunked when it has no Content-Length and a body
 *     follows, {@code content-length: 0} when the stream ended with it; interim (1xx) heads pass as
 *     they do from an HTTP/1.1 server; DATA becomes body pieces; trailing HEADERS become the last
 *     piece's trailers.</li>
 * </ul>
 *
 * <p>A stream the server did not process (reset with REFUSED_STREAM, above the last stream id of a
 * GOAWAY, or never sent because the connection went away) is marked {@link #refused}: the exchange
 * may send its request again on a new connection. A reset stream never ends its response as
 * complete: the channel closes with the response unfinished.
 */
final class Http2UpstreamStream extends ChannelDuplexHandler {

    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString HTTPS = AsciiString.cached("https");
    private static final AsciiString TRAILERS = HttpHeaderValues.TRAILERS;

    private final boolean secure;
    private final int maxResponseHead;
    /** The request's HEADERS, held until the next write or flush tells whether the stream ends with them. */
    private Http2Headers pendingHead;
    private HttpMethod method;
    /** The final response head was read. */
    private boolean responseHead;
    private boolean responseEnded;
    private boolean requestEnded;
    private boolean refused;

    Http2UpstreamStream(boolean secure, int maxResponseHead) {
        this.secure = secure;
        this.maxResponseHead = maxResponseHead;
    }

    /** Whether the server did not process the stream: its request may be sent again elsewhere. */
    static boolean refused(io.netty.channel.Channel channel) {
        Http2UpstreamStream codec = channel.pipeline().get(Http2UpstreamStream.class);
        return codec != null && codec.refused;
    }

    /** Whether the stream ran to its end both ways. */
    boolean completed() {
        return responseEnded && requestEnded;
    }

    // ---- request: HTTP/1.1 messages out, frames out --------------------------------------------

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpRequest request) {
            method = request.method();
            pendingHead = requestHeaders(request);
            if (!(msg instanceof HttpContent)) {
                promise.trySuccess();
                return;
            }
        }
        if (msg instanceof HttpContent content) {
            writeContent(ctx, content, promise);
            return;
        }
        // Raw bytes (a tunnel after an upgrade) have no place on an HTTP/2 stream.
        ReferenceCountUtil.release(msg);
        promise.tryFailure(new IllegalStateException("not an HTTP message: " + msg.getClass().getSimpleName()));
    }

    private void writeContent(ChannelHandlerContext ctx, HttpContent content, ChannelPromise promise) {
        boolean last = content instanceof LastHttpContent;
        HttpHeaders trailers = last ? ((LastHttpContent) content).trailingHeaders() : null;
        boolean hasTrailers = trailers != null && !trailers.isEmpty();
        boolean hasData = content.content().isReadable();
        if (pendingHead != null) {
            boolean endsHere = last && !hasData && !hasTrailers;
            writeHead(ctx, endsHere);
            if (endsHere) {
                content.release();
                requestEnded = true;
                promise.trySuccess();
                return;
            }
        }
        if (hasData || last && !hasTrailers) {
            ctx.write(new DefaultHttp2DataFrame(content.content(), last && !hasTrailers),
                    hasTrailers ? ctx.voidPromise() : promise);
        } else {
            content.release();
        }
        if (hasTrailers) {
            ctx.write(new DefaultHttp2HeadersFrame(fields(trailers, new DefaultHttp2Headers(false)), true), promise);
        } else if (!hasData && !last) {
            promise.trySuccess();
        }
        if (last) {
            requestEnded = true;
        }
    }

    /** The HEADERS frame: a failure to send it means the server never saw the request. */
    private void writeHead(ChannelHandlerContext ctx, boolean endStream) {
        Http2Headers head = pendingHead;
        pendingHead = null;
        ctx.write(new DefaultHttp2HeadersFrame(head, endStream)).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                refused = true;
                f.channel().close();
            }
        });
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (pendingHead != null) {
            // A body follows later (or streams): the head goes now.
            writeHead(ctx, false);
        }
        ctx.flush();
    }

    private Http2Headers requestHeaders(HttpRequest request) {
        HttpHeaders in = request.headers();
        Http2Headers out = new DefaultHttp2Headers(false, in.size() + 4);
        out.method(request.method().asciiName());
        String uri = request.uri();
        String host = in.get(HttpHeaderNames.HOST);
        if (request.method().equals(HttpMethod.CONNECT)) {
            out.authority(uri);
        } else {
            int scheme = uri.indexOf("://");
            if (scheme > 0 && uri.charAt(0) != '/') {
                // Absolute form: its authority wins over Host (RFC 9112 section 3.2.2).
                int pathStart = uri.indexOf('/', scheme + 3);
                int queryStart = uri.indexOf('?', scheme + 3);
                int end = pathStart < 0 ? (queryStart < 0 ? uri.length() : queryStart)
                        : queryStart < 0 ? pathStart : Math.min(pathStart, queryStart);
                out.scheme(new AsciiString(uri.substring(0, scheme).toLowerCase(java.util.Locale.ROOT)));
                out.authority(uri.substring(scheme + 3, end));
                String path = uri.substring(end);
                out.path(path.isEmpty() ? (request.method().equals(HttpMethod.OPTIONS) ? "*" : "/")
                        : path.charAt(0) == '?' ? "/" + path : path);
            } else {
                out.scheme(secure ? HTTPS : HTTP);
                if (host != null) {
                    out.authority(host);
                }
                out.path(uri);
            }
        }
        String connection = in.contains(HttpHeaderNames.CONNECTION)
                ? String.join(",", in.getAll(HttpHeaderNames.CONNECTION)) : null;
        for (Map.Entry<String, String> field : in) {
            AsciiString name = AsciiString.of(field.getKey()).toLowerCase();
            if (connectionSpecific(name) || connection != null && namedBy(connection, name)) {
                continue;
            }
            if (name.contentEquals(HttpHeaderNames.TE)) {
                // Only "trailers" may go in HTTP/2 (RFC 9113 section 8.2.2).
                if (AsciiString.containsIgnoreCase(field.getValue(), TRAILERS)) {
                    out.set(HttpHeaderNames.TE, TRAILERS);
                }
                continue;
            }
            out.add(name, field.getValue());
        }
        return out;
    }

    /** Whether the Connection list {@code connection} names {@code name}: a field for this hop only. */
    private static boolean namedBy(String connection, AsciiString name) {
        int start = 0;
        while (start <= connection.length()) {
            int comma = connection.indexOf(',', start);
            int end = comma < 0 ? connection.length() : comma;
            if (name.contentEqualsIgnoreCase(connection.substring(start, end).trim())) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static boolean connectionSpecific(AsciiString name) {
        return name.contentEquals(HttpHeaderNames.HOST) || name.contentEquals(HttpHeaderNames.CONNECTION)
                || name.contentEquals(HttpHeaderNames.KEEP_ALIVE) || name.contentEquals(HttpHeaderNames.PROXY_CONNECTION)
                || name.contentEquals(HttpHeaderNames.TRANSFER_ENCODING) || name.contentEquals(HttpHeaderNames.UPGRADE);
    }

    /** HTTP/1.1 fields as HTTP/2 ones (lower-case names), for trailers. */
    private static Http2Headers fields(HttpHeaders in, Http2Headers out) {
        for (Map.Entry<String, String> field : in) {
            AsciiString name = AsciiString.of(field.getKey()).toLowerCase();
            if (!connectionSpecific(name)) {
                out.add(name, field.getValue());
            }
        }
        return out;
    }

    // ---- response: frames in, HTTP/1.1 messages in ---------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2HeadersFrame frame) {
            headers(ctx, frame);
        } else if (msg instanceof Http2DataFrame data) {
            if (!responseHead || responseEnded) {
                data.release();
                malformed(ctx);
                return;
            }
            if (data.isEndStream()) {
                responseEnded = true;
                ctx.fireChannelRead(new DefaultLastHttpContent(data.content()));
            } else {
                ctx.fireChannelRead(new DefaultHttpContent(data.content()));
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void headers(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
        Http2Headers in = frame.headers();
        if (responseHead) {
            // Trailers: they end the stream and carry no pseudo-header.
            if (!frame.isEndStream() || in.status() != null || responseEnded) {
                malformed(ctx);
                return;
            }
            DefaultLastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
            if (!copyFields(in, last.trailingHeaders())) {
                malformed(ctx);
                return;
            }
            responseEnded = true;
            ctx.fireChannelRead(last);
            return;
        }
        int status = status(in.status());
        HttpHeaders headers = new DefaultHttpHeaders();
        // 101 does not exist in HTTP/2 (RFC 9113 section 8.6): no switch may start from it.
        if (status < 0 || status == 101 || !copyFields(in, headers)) {
            malformed(ctx);
            return;
        }
        DefaultHttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), headers);
        if (status < 200) {
            // Interim: a head with no body, as from an HTTP/1.1 server; the final one follows.
            ctx.fireChannelRead(response);
            ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
            return;
        }
        responseHead = true;
        boolean bodiless = status == 204 || status == 304 || HttpMethod.HEAD.equals(method);
        if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH) && !bodiless) {
            if (frame.isEndStream()) {
                headers.set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO);
            } else {
                // HTTP/2 ends a body with the stream; HTTP/1.1 needs chunks for that.
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        ctx.fireChannelRead(response);
        if (frame.isEndStream()) {
            responseEnded = true;
            ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }

    /** A response HTTP/1.1 cannot carry: a failed head (502, the stream reset), nothing more is read. */
    private void malformed(ChannelHandlerContext ctx) {
        if (responseHead) {
            ctx.close();
            return;
        }
        responseHead = true;
        responseEnded = true;
        DefaultHttpResponse invalid = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY);
        invalid.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("malformed HTTP/2 response")));
        ctx.fireChannelRead(invalid);
    }

    private static int status(CharSequence status) {
        if (status == null || status.length() != 3) {
            return -1;
        }
        int code = 0;
        for (int i = 0; i < 3; i++) {
            char c = status.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            code = code * 10 + c - '0';
        }
        return code >= 100 ? code : -1;
    }

    /**
     * The regular fields of {@code in} into {@code out}; cookies joined into one field as HTTP/1.1
     * wants them (RFC 9113 section 8.2.3). {@code false} for a field HTTP/1.1 cannot carry: a
     * connection-specific name or a value with CR, LF or NUL (HPACK lets them through; an HTTP/1.1
     * client would read them as a header break).
     */
    private boolean copyFields(Http2Headers in, HttpHeaders out) {
        StringBuilder cookies = null;
        int size = 0;
        for (Map.Entry<CharSequence, CharSequence> field : in) {
            CharSequence name = field.getKey();
            CharSequence value = field.getValue();
            size += name.length() + value.length() + 32;
            if (size > maxResponseHead) {
                return false;
            }
            if (name.length() > 0 && name.charAt(0) == ':') {
                continue;
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\r' || c == '\n' || c == 0) {
                    return false;
                }
            }
            AsciiString lower = AsciiString.of(name);
            if (lower.contentEqualsIgnoreCase(HttpHeaderNames.CONNECTION) || lower.contentEqualsIgnoreCase(HttpHeaderNames.TRANSFER_ENCODING)
                    || lower.contentEqualsIgnoreCase(HttpHeaderNames.KEEP_ALIVE) || lower.contentEqualsIgnoreCase(HttpHeaderNames.UPGRADE)
                    || lower.contentEqualsIgnoreCase(HttpHeaderNames.PROXY_CONNECTION)) {
                return false;
            }
            if (lower.contentEqualsIgnoreCase(HttpHeaderNames.COOKIE)) {
                cookies = cookies == null ? new StringBuilder(value) : cookies.append("; ").append(value);
                continue;
            }
            out.add(name, value);
        }
        if (cookies != null) {
            out.add(HttpHeaderNames.COOKIE, cookies.toString());
        }
        return true;
    }

    // ---- the stream's end -----------------------------------------------------------------------

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Http2ResetFrame reset) {
            // The server refused the stream before processing it: safe to send again elsewhere.
            refused |= reset.errorCode() == Http2Error.REFUSED_STREAM.code() && !responseHead;
            return;
        }
        if (evt instanceof Http2GoAwayFrame goAway) {
            // Sent only to streams above the GOAWAY's last stream id: never processed.
            refused |= !responseHead;
            goAway.release();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (pendingHead != null) {
            // Closed before its head left: the server never saw it.
            refused = true;
            pendingHead = null;
        }
        ctx.fireChannelInactive();
    }
}
