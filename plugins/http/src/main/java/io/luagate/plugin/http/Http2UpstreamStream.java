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
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Translates one stream of an HTTP/2 server connection to and from the HTTP/1.1 messages the
 * exchange speaks, as HAProxy's muxes do between H1 and H2:
 *
 * <ul>
 * <li>request: the head becomes HEADERS ({@link Http2RequestHeaders}), body pieces DATA, request
 *     trailers a last HEADERS. A head waits for what follows it until a flush, so a request without
 *     a body is one HEADERS frame that ends the stream.</li>
 * <li>response: HEADERS becomes a head (HTTP/1.1, {@link Http2ResponseHeaders}), chunked when it has
 *     no Content-Length and a body follows, {@code content-length: 0} when the stream ended with
 *     it; interim (1xx) heads pass as they do from an HTTP/1.1 server; DATA becomes body pieces;
 *     trailing HEADERS become the last piece's trailers.</li>
 * </ul>
 *
 * <p>A stream the server did not process (reset with REFUSED_STREAM, above the last stream id of a
 * GOAWAY, or never sent because the connection went away) is marked {@link #refused}: the exchange
 * may send its request again on a new connection. A reset stream never ends its response as
 * complete: the channel closes with the response unfinished.
 */
final class Http2UpstreamStream extends ChannelDuplexHandler {

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
            pendingHead = Http2RequestHeaders.of(request, secure);
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
            ctx.write(new DefaultHttp2HeadersFrame(Http2RequestHeaders.trailers(trailers), true), promise);
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
            if (!Http2ResponseHeaders.copy(in, last.trailingHeaders(), maxResponseHead)) {
                malformed(ctx);
                return;
            }
            responseEnded = true;
            ctx.fireChannelRead(last);
            return;
        }
        int status = Http2ResponseHeaders.status(in.status());
        HttpHeaders headers = new DefaultHttpHeaders();
        // 101 does not exist in HTTP/2 (RFC 9113 section 8.6): no switch may start from it.
        if (status < 0 || status == 101 || !Http2ResponseHeaders.copy(in, headers, maxResponseHead)) {
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
