package io.luagate.plugin.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2FrameStreamEvent;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;

/**
 * What RFC 9113 section 8.1 requires of a request, checked on the connection as its frames arrive
 * (Netty's codec checks frames, not messages), whether or not the stream's exchange still reads:
 * the request's HEADERS carry {@code :method}, and but for CONNECT {@code :scheme} and a non-empty
 * {@code :path}; a second HEADERS frame is the trailer section, ends the stream and has no
 * pseudo-header; the DATA frames add up to {@code content-length} when there is one. A request
 * that breaks one of these is malformed: its stream is reset with PROTOCOL_ERROR and the offending
 * frame goes no further, as HAProxy does.
 *
 * <p>It also gives the stream errors Netty's codec finds their own code (below).
 *
 * <p>Sits between Netty's frame codec and the {@link Http2StreamDispatch}, on the connection's loop; it keeps a
 * small record per stream whose request is still coming, dropped when the request ends or the
 * stream closes.
 */
final class Http2RequestCheck extends ChannelDuplexHandler {

    /** One request still coming. */
    private static final class Request {
        boolean headersSeen;
        /** The announced length, or -1. */
        long contentLength = -1;
        long received;
    }

    /** By stream id (no boxed key per frame). */
    private final IntObjectHashMap<Request> open = new IntObjectHashMap<>();
    private final Http2FrameCodec frames;

    Http2RequestCheck(Http2FrameCodec frames) {
        this.frames = frames;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Http2StreamFrame frame) || frame.stream() == null
                || !(msg instanceof Http2HeadersFrame || msg instanceof Http2DataFrame)) {
            if (msg instanceof Http2ResetFrame reset && reset.stream() != null) {
                open.remove(reset.stream().id());
            }
            ctx.fireChannelRead(msg);
            return;
        }
        int id = frame.stream().id();
        Request request = open.get(id);
        if (request == null) {
            request = new Request();
            // A request in one HEADERS frame (most GETs) is checked without a record kept.
            if (!(msg instanceof Http2HeadersFrame h && h.isEndStream())) {
                open.put(id, request);
            }
        }
        String problem = msg instanceof Http2HeadersFrame headers ? headers(request, headers) : data(request, (Http2DataFrame) msg);
        boolean end = msg instanceof Http2HeadersFrame h ? h.isEndStream() : ((Http2DataFrame) msg).isEndStream();
        if (problem != null) {
            open.remove(id);
            ReferenceCountUtil.release(msg);
            reset(ctx, frame.stream(), Http2Error.PROTOCOL_ERROR);
            return;
        }
        if (end) {
            open.remove(id);
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * A stream error Netty's codec found in what the client sent (a DATA frame on a half-closed
     * stream, a bad PRIORITY length, a window overflow, a content-length mismatch...): the codec
     * leaves the reset to the application, and closing the stream's exchange would reset it with
     * CANCEL; RFC 9113 wants the error's own code, so the reset goes first.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Http2FrameStreamException error) {
            open.remove(error.stream().id());
            reset(ctx, error.stream(), error.error());
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof Http2FrameStreamEvent event && event.type() == Http2FrameStreamEvent.Type.State) {
            Http2FrameStream stream = event.stream();
            if (stream.state() == Http2Stream.State.CLOSED || !stream.state().remoteSideOpen()) {
                open.remove(stream.id());
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    /**
     * Resets {@code stream}. What its exchange already wrote and flow control still holds (the
     * DATA of a response written during this read, whose flush waits for the read's end) leaves
     * first: the codec writes a reset at once but held DATA only at the flush, which would put
     * DATA on the wire after the RST_STREAM of its stream.
     */
    private void reset(ChannelHandlerContext ctx, Http2FrameStream stream, Http2Error error) {
        try {
            frames.encoder().flowController().writePendingBytes();
        } catch (Http2Exception e) {
            ctx.fireExceptionCaught(e);
        }
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(error).stream(stream));
    }

    private static String headers(Request request, Http2HeadersFrame frame) {
        Http2Headers headers = frame.headers();
        if (request.headersSeen) {
            if (!frame.isEndStream()) {
                return "a second HEADERS frame that does not end the stream";
            }
            for (CharSequence name : headers.names()) {
                if (Http2Headers.PseudoHeaderName.hasPseudoHeaderFormat(name)) {
                    return "a pseudo-header in the trailers";
                }
            }
            return lengthAtEnd(request);
        }
        request.headersSeen = true;
        CharSequence method = headers.method();
        if (method == null) {
            return "no :method";
        }
        if (!HttpMethod.CONNECT.asciiName().contentEquals(method)
                && (headers.scheme() == null || headers.path() == null || headers.path().length() == 0)) {
            return "no :scheme or :path";
        }
        CharSequence length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            try {
                request.contentLength = Long.parseLong(length.toString());
            } catch (NumberFormatException e) {
                return "a content-length that is not a number";
            }
        }
        return frame.isEndStream() ? lengthAtEnd(request) : null;
    }

    private static String data(Request request, Http2DataFrame frame) {
        request.received += frame.content().readableBytes();
        if (request.contentLength >= 0 && request.received > request.contentLength) {
            return "more DATA than content-length";
        }
        return frame.isEndStream() ? lengthAtEnd(request) : null;
    }

    private static String lengthAtEnd(Request request) {
        return request.contentLength >= 0 && request.received != request.contentLength ? "less DATA than content-length" : null;
    }
}
