package io.luagate.plugin.http;

import io.luagate.spi.http.HttpToken;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.ArrayDeque;
import java.util.List;

/**
 * luagate's HTTP/1 request decoder: client bytes in, Netty's message objects out (an
 * {@link HttpRequest}, its body as {@link HttpContent} pieces, a {@link LastHttpContent} with any
 * trailers), one request after the other, read the way HAProxy 2.6.12's parser reads them. Empty
 * lines (CRLF, or a lone LF) before a request are skipped; anything else before the method, a blank
 * or a control character, gets 400, as does a line ended by a bare LF. A request that cannot be
 * read comes out as a request whose decoder result failed (a {@link TooLongHttpLineException} or a
 * {@link TooLongHttpHeaderException} for the limits), a broken chunked body as a failed last
 * content; nothing after either is decoded.
 *
 * <p>A head is read only once it is complete in the buffer (each slice only scans the bytes that
 * are new), and turned into objects in one pass by {@link RequestHeadParser}. Bodies are passed on
 * as slices of the input, never copied. After a request that asks to leave HTTP ({@code Upgrade}),
 * decoding stops: what follows waits here undecoded until the next {@code read()} (the exchange
 * ended in HTTP) or until this handler is removed (a tunnel), when it goes on as raw bytes; the
 * client's FIN waits with it.
 *
 * <p>Confined to the client's event loop; owns its cumulation buffer.
 */
final class RequestDecoder extends ChannelInboundHandlerAdapter {

    /** More requests decoded and not yet answered than this end the decoding with a 400. */
    static final int MAX_PIPELINE_DEPTH = 128;

    private enum State { HEAD, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, PAUSED, BAD }

    private final int lineLimit;
    private final int headLimit;
    private final int maxContent;
    /**
     * The methods of the requests decoded and not answered yet, which the response encoder takes
     * ({@link #answered()}): the oldest in a field, the usual one in flight; the others, pipelined
     * behind it, in a queue made when a second request is decoded before the first is answered.
     * An idle connection then holds no queue.
     */
    private HttpMethod oldestUnanswered;
    private ArrayDeque<HttpMethod> laterUnanswered;
    private ChannelHandlerContext ctx;
    private ByteBuf cumulation;
    private State state = State.HEAD;
    /** The first byte of the head (a token) was seen: blank lines are no longer skipped. */
    private boolean started;
    private int blankBytes;
    /**
     * Where the search for the end of the head (or trailer section) being read stands; made at its
     * first byte and dropped when it is complete, so that a connection waiting for a request holds
     * none (one small object per request, against 32 bytes held by every idle connection).
     */
    private HeadSectionScan scan;
    /** Body bytes left: of a Content-Length body, or of the current chunk. */
    private long left;
    /** The request being read asked to leave HTTP: decoding pauses after it. */
    private boolean pauseAfter;
    private boolean readThisBatch;
    private boolean producedThisBatch;
    private boolean finHeld;

    /**
     * @param lineLimit  the longest request line (414 beyond)
     * @param headLimit  the largest head, request line included (431 beyond)
     * @param maxContent the largest body piece passed on at once
     */
    RequestDecoder(int lineLimit, int headLimit, int maxContent) {
        this.lineLimit = lineLimit;
        this.headLimit = headLimit;
        this.maxContent = maxContent;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (state == State.BAD || !buf.isReadable()) {
            buf.release();
            return;
        }
        readThisBatch = true;
        cumulation = cumulation == null ? buf : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, buf);
        decode();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        endBatch();
        ctx.fireChannelReadComplete();
    }

    /** A batch that brought bytes but no message asks for more: a head or a body piece is incomplete. */
    private void endBatch() {
        boolean wantsMore = readThisBatch && !producedThisBatch && state != State.PAUSED && state != State.BAD;
        readThisBatch = false;
        producedThisBatch = false;
        if (cumulation != null && cumulation.refCnt() == 1) {
            // Not while body slices still share it: moving its bytes would change theirs.
            cumulation.discardSomeReadBytes();
        }
        if (wantsMore && !ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
    }

    /**
     * The session asks for more input. After a paused request, the bytes held back are decoded
     * first, on a later turn of the loop (the caller must not get messages back inside its call).
     *
     * @return whether this read was taken here (else it goes on to the socket)
     */
    boolean resume() {
        if (state != State.PAUSED) {
            return false;
        }
        state = State.HEAD;
        if (cumulation == null && !finHeld) {
            return false;
        }
        // Made here, not kept: only a request that left HTTP and came back pauses.
        ctx.executor().execute(this::resumeDecoding);
        return true;
    }

    private void resumeDecoding() {
        if (ctx.isRemoved()) {
            return;
        }
        if (cumulation != null) {
            readThisBatch = true;
            decode();
            endBatch();
            ctx.fireChannelReadComplete();
        }
        if (finHeld && state != State.PAUSED && !ctx.isRemoved()) {
            finHeld = false;
            inputClosed();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            if (state == State.PAUSED && cumulation != null) {
                // What the client sent before its FIN has not been decoded yet.
                finHeld = true;
                return;
            }
            inputClosed();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** The client's FIN: a head cut short is a bad request (HAProxy's 400); a cut body is the session's to see. */
    private void inputClosed() {
        if (state == State.HEAD && started) {
            fail(new PrematureChannelClosureException("the connection was closed inside a request head"));
        }
        ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseCumulation();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // Leaving HTTP (a tunnel): the undecoded bytes go on, raw, in order, and the FIN after them.
        ByteBuf rest = cumulation;
        cumulation = null;
        boolean fin = finHeld;
        finHeld = false;
        if (rest == null) {
            // Nothing undecoded.
        } else if (rest.isReadable() && ctx.channel().isActive()) {
            ctx.fireChannelRead(rest);
            ctx.fireChannelReadComplete();
        } else {
            rest.release();
        }
        if (fin && ctx.channel().isActive()) {
            ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
    }

    private void releaseCumulation() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }

    /** Decodes all that the buffer holds, passing each message on as soon as it is made. */
    private void decode() {
        ByteBuf in = cumulation;
        boolean progress = true;
        while (progress && !ctx.isRemoved() && cumulation == in) {
            progress = switch (state) {
                case HEAD -> head(in);
                case FIXED_BODY -> fixedBody(in);
                case CHUNK_SIZE -> chunkSize(in);
                case CHUNK_DATA -> chunkData(in);
                case CHUNK_END -> chunkEnd(in);
                case TRAILERS -> trailers(in);
                case PAUSED -> false;
                case BAD -> {
                    in.skipBytes(in.readableBytes());
                    yield false;
                }
            };
        }
        if (cumulation == in && !in.isReadable()) {
            releaseCumulation();
        }
    }

    private void emit(Object msg) {
        producedThisBatch = true;
        ctx.fireChannelRead(msg);
    }

    // The head.

    private boolean head(ByteBuf in) {
        if (!started && !skipBlankLines(in)) {
            return false;
        }
        int end;
        try {
            end = scan().end(in, true, headLimit, null);
        } catch (IllegalArgumentException | TooLongFrameException e) {
            fail(e);
            return false;
        }
        if (end < 0) {
            return false;
        }
        HttpRequest request;
        try {
            request = RequestHeadParser.parse(in, in.readerIndex(), end);
            in.readerIndex(end);
            resetHead();
            framing(request);
        } catch (IllegalArgumentException e) {
            fail(e);
            return false;
        }
        if (unanswered() >= MAX_PIPELINE_DEPTH) {
            fail(new IllegalStateException("more than " + MAX_PIPELINE_DEPTH + " requests unanswered"));
            return false;
        }
        unanswered(request.method());
        pauseAfter = leavesHttp(request);
        emit(request);
        if (state == State.HEAD) {
            emit(LastHttpContent.EMPTY_LAST_CONTENT);
            messageDone();
        }
        return true;
    }

    /**
     * Skips the empty lines before a request, as HAProxy does (RFC 9112 section 2.2), within the
     * head's limit; a CR must be followed by LF, and the first other byte must begin a method.
     *
     * @return whether the request's first byte is here
     */
    private boolean skipBlankLines(ByteBuf in) {
        int from = in.readerIndex();
        int end = in.writerIndex();
        int i = from;
        String refused = null;
        while (i < end) {
            byte b = in.getByte(i);
            if (HttpToken.isTokenChar(b)) {
                started = true;
                break;
            }
            if (b == HttpChars.LF) {
                i++;
            } else if (b == HttpChars.CR && i + 1 == end) {
                break;
            } else if (b == HttpChars.CR && in.getByte(i + 1) == HttpChars.LF) {
                i += 2;
            } else {
                refused = b == HttpChars.CR ? "a CR without its LF before the request"
                        : "a blank or a control character before the method";
                break;
            }
            if (blankBytes + i - from > headLimit) {
                refused = "empty lines beyond the head's limit";
                break;
            }
        }
        blankBytes += i - from;
        in.readerIndex(i);
        if (refused != null) {
            fail(new IllegalArgumentException(refused));
        }
        return started;
    }

    private void resetHead() {
        started = false;
        blankBytes = 0;
        scan = null;
    }

    private HeadSectionScan scan() {
        if (scan == null) {
            scan = new HeadSectionScan(lineLimit, true);
        }
        return scan;
    }

    /**
     * How the body is delimited, as Netty's decoder judged it: a Transfer-Encoding must end in
     * {@code chunked} (which coding lists are forwarded is {@link RequestHeadCheck}'s), and then any
     * Content-Length is dropped and the connection closes after the exchange, as in HAProxy; equal
     * repeated lengths are one length; no framing is no body.
     */
    private void framing(HttpRequest request) {
        HttpHeaders headers = request.headers();
        boolean hasLength = headers.contains(HttpHeaderNames.CONTENT_LENGTH);
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            if (!lastCodingChunked(headers)) {
                throw new IllegalArgumentException("a request's last transfer coding must be chunked");
            }
            if (hasLength) {
                headers.remove(HttpHeaderNames.CONTENT_LENGTH);
                if (request.protocolVersion() == HttpVersion.HTTP_1_1) {
                    HttpUtil.setKeepAlive(request, false);
                }
            }
            state = State.CHUNK_SIZE;
            return;
        }
        if (!hasLength) {
            return;
        }
        List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
        HttpVersion version = request.protocolVersion();
        boolean http10 = version.majorVersion() < 1 || version.majorVersion() == 1 && version.minorVersion() == 0;
        long length = HttpUtil.normalizeAndGetContentLength(lengths, http10, true);
        if (lengths.size() > 1 || !digits(lengths.get(0))) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
        }
        if (length > 0) {
            left = length;
            state = State.FIXED_BODY;
        }
    }

    private static boolean lastCodingChunked(HttpHeaders headers) {
        String last = null;
        for (String value : headers.getAll(HttpHeaderNames.TRANSFER_ENCODING)) {
            last = value;
        }
        int comma = last.lastIndexOf(',');
        return HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(last.substring(comma + 1).strip());
    }

    private static boolean digits(String value) {
        String v = value.strip();
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * A request that may switch protocols: an HTTP/1.1 one with {@code Upgrade} (the exchange
     * decides whether it does, on the server's 101).
     */
    private static boolean leavesHttp(HttpRequest request) {
        return request.protocolVersion() == HttpVersion.HTTP_1_1 && request.headers().contains(HttpHeaderNames.UPGRADE);
    }

    // The body.

    private boolean fixedBody(ByteBuf in) {
        int n = (int) Math.min(Math.min(in.readableBytes(), maxContent), left);
        if (n == 0) {
            return false;
        }
        ByteBuf piece = in.readRetainedSlice(n);
        left -= n;
        if (left == 0) {
            emit(new DefaultLastHttpContent(piece));
            messageDone();
        } else {
            emit(new DefaultHttpContent(piece));
        }
        return true;
    }

    private boolean chunkSize(ByteBuf in) {
        int r = in.readerIndex();
        int searchEnd = (int) Math.min(in.writerIndex(), (long) r + lineLimit + 2);
        int lf = in.indexOf(r, searchEnd, HttpChars.LF);
        if (lf < 0) {
            if (searchEnd - r >= lineLimit + 2) {
                failChunk("a chunk-size line longer than " + lineLimit + " bytes");
            }
            return false;
        }
        if (lf == r || in.getByte(lf - 1) != HttpChars.CR) {
            failChunk("a chunk-size line ended by a bare LF");
            return false;
        }
        long size = ChunkSizeLine.parse(in, r, lf - 1);
        if (size == ChunkSizeLine.INVALID) {
            failChunk("an invalid chunk size");
            return false;
        }
        in.readerIndex(lf + 1);
        left = size;
        state = size == 0 ? State.TRAILERS : State.CHUNK_DATA;
        return true;
    }

    private boolean chunkData(ByteBuf in) {
        int n = (int) Math.min(Math.min(in.readableBytes(), maxContent), left);
        if (n == 0) {
            return false;
        }
        left -= n;
        emit(new DefaultHttpContent(in.readRetainedSlice(n)));
        if (left == 0) {
            state = State.CHUNK_END;
        }
        return true;
    }

    private boolean chunkEnd(ByteBuf in) {
        if (in.readableBytes() < 2) {
            return false;
        }
        int r = in.readerIndex();
        if (in.getByte(r) != HttpChars.CR || in.getByte(r + 1) != HttpChars.LF) {
            failChunk("chunk data not followed by CRLF");
            return false;
        }
        in.skipBytes(2);
        state = State.CHUNK_SIZE;
        return true;
    }

    private boolean trailers(ByteBuf in) {
        int r = in.readerIndex();
        if (in.readableBytes() >= 2 && in.getByte(r) == HttpChars.CR && in.getByte(r + 1) == HttpChars.LF) {
            in.skipBytes(2);
            resetHead();
            emit(LastHttpContent.EMPTY_LAST_CONTENT);
            messageDone();
            return true;
        }
        LastHttpContent last;
        int end;
        try {
            end = scan().end(in, false, headLimit, null);
            if (end < 0) {
                return false;
            }
            last = new DefaultLastHttpContent();
            RequestHeadParser.headers(in, r, end, last.trailingHeaders());
        } catch (IllegalArgumentException | TooLongFrameException e) {
            failChunk(e.getMessage());
            return false;
        }
        in.readerIndex(end);
        resetHead();
        // The framing of this message is settled: a trailer does not change it.
        last.trailingHeaders().remove(HttpHeaderNames.CONTENT_LENGTH)
                .remove(HttpHeaderNames.TRANSFER_ENCODING).remove(HttpHeaderNames.TRAILER);
        emit(last);
        messageDone();
        return true;
    }

    private void messageDone() {
        state = pauseAfter ? State.PAUSED : State.HEAD;
        pauseAfter = false;
    }

    // The methods of the requests not answered yet.

    private void unanswered(HttpMethod method) {
        if (oldestUnanswered == null) {
            oldestUnanswered = method;
            return;
        }
        if (laterUnanswered == null) {
            laterUnanswered = new ArrayDeque<>(4);
        }
        laterUnanswered.add(method);
    }

    private int unanswered() {
        return oldestUnanswered == null ? 0 : 1 + (laterUnanswered == null ? 0 : laterUnanswered.size());
    }

    /**
     * The response encoder begins the response to the oldest request not answered yet.
     *
     * @return that request's method, or null if every request decoded has its response
     */
    HttpMethod answered() {
        HttpMethod method = oldestUnanswered;
        oldestUnanswered = laterUnanswered == null ? null : laterUnanswered.poll();
        return method;
    }

    // Failures: nothing after them is decoded.

    private void fail(Exception cause) {
        state = State.BAD;
        if (cumulation != null) {
            cumulation.skipBytes(cumulation.readableBytes());
        }
        // Answered like any request (the 400 page has a body).
        unanswered(HttpMethod.GET);
        HttpRequest invalid = new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/bad-request");
        invalid.setDecoderResult(DecoderResult.failure(cause));
        emit(invalid);
    }

    private void failChunk(String reason) {
        state = State.BAD;
        cumulation.skipBytes(cumulation.readableBytes());
        HttpContent invalid = new DefaultLastHttpContent();
        invalid.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(reason)));
        emit(invalid);
    }
}
