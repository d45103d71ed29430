package io.luagate.plugin.http;

import io.luagate.spi.http.HttpToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;

/**
 * luagate's HTTP/1 response decoder for server connections: server bytes in, Netty's message
 * objects out (an {@link HttpResponse}, its body as {@link HttpContent} slices of the input, a
 * {@link LastHttpContent}), read the way HAProxy 2.6.12 reads a response. A head is parsed only
 * once it is complete (each read scans only the new bytes, checking each header line's name as
 * its line ends), in one pass, by {@link ResponseHeadParser}.
 *
 * <p>How a body ends: interim (1xx) responses, 204, 304 and responses to HEAD have none; a lone
 * {@code chunked} coding (any other {@code Transfer-Encoding} is refused, and a length beside it
 * dropped), then a {@code Content-Length}, then the connection's close (the end is passed on when
 * the server's FIN or close comes). After a 101 the bytes go on raw. A head this decoder refuses
 * comes out as a failed response, a broken chunked body as a failed last content, a body cut by
 * the close as no end at all; nothing after any of them is decoded, so the exchange answers 502
 * and never pools the connection.
 *
 * <p>Confined to the server connection's event loop.
 */
final class ResponseDecoder extends ByteToMessageDecoder {

    private enum State { HEAD, FIXED_BODY, CLOSE_DELIMITED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UPGRADED, BAD }

    private static final byte[] HTTP = {'H', 'T', 'T', 'P', '/'};
    /** Goes on over a header name's bytes (one bounds check for the whole name, not one per byte). */
    private static final ByteProcessor TOKEN = HttpToken::isTokenChar;
    private static final byte[] CONTENT_LENGTH_NAME = "content-length".getBytes(StandardCharsets.US_ASCII);

    /** The methods of the requests sent whose final response has not begun (the request encoder adds them). */
    private final Queue<HttpMethod> methods;
    private final int lineLimit;
    private final int headLimit;
    private final int maxHeaders;
    private final int maxContent;
    private State state = State.HEAD;
    private final HeadSectionScan scan;
    private final HeadSectionScan.LineCheck headerCheck = this::headerLine;
    private int headerLines;
    /** How many of the head's lines are a {@code Content-Length}: one is read without a list of them. */
    private int lengthLines;
    /** Body bytes left: of a Content-Length body, or of the current chunk. */
    private long left;

    /**
     * @param lineLimit  the longest status line
     * @param headLimit  the largest head, status line included
     * @param maxHeaders {@code tune.http.maxhdr}: at most one header line fewer is accepted
     * @param maxContent the largest body piece passed on at once
     */
    ResponseDecoder(Queue<HttpMethod> methods, int lineLimit, int headLimit, int maxHeaders, int maxContent) {
        this.methods = methods;
        this.lineLimit = lineLimit;
        this.scan = new HeadSectionScan(lineLimit, false);
        this.headLimit = headLimit;
        this.maxHeaders = maxHeaders;
        this.maxContent = maxContent;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case HEAD -> head(in, out);
            case FIXED_BODY -> fixedBody(in, out);
            case CLOSE_DELIMITED -> out.add(new DefaultHttpContent(in.readRetainedSlice(Math.min(in.readableBytes(), maxContent))));
            case CHUNK_SIZE -> chunkSize(in, out);
            case CHUNK_DATA -> chunkData(in, out);
            case CHUNK_END -> chunkEnd(in, out);
            case TRAILERS -> trailers(in, out);
            case UPGRADED -> out.add(in.readRetainedSlice(in.readableBytes()));
            case BAD -> in.skipBytes(in.readableBytes());
        }
    }

    /**
     * The server's FIN or close: what is left is decoded, then a body that the close delimits
     * ends; a head whose status line came but not its end is refused; a body cut short gets no end.
     */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (state == State.CLOSE_DELIMITED) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            state = State.HEAD;
        } else if (state == State.HEAD && scan.pastStartLine()) {
            fail(in, out, new PrematureChannelClosureException("the connection was closed inside a response head"));
        }
    }

    // The head.

    private void head(ByteBuf in, List<Object> out) {
        if (methods.isEmpty()) {
            // One request at a time goes to a server connection: a byte with none waiting for its
            // answer (a stray head, whole or partial, or an empty line, in the read of the last
            // response or later, while idle in the pool) answers nothing, and kept it would be read
            // as the start of the next client's response. HAProxy closes such a connection.
            fail(in, out, new IllegalArgumentException("bytes from the server with no request waiting"));
            return;
        }
        if (scan.atStart() && !skipEmptyLines(in, out)) {
            return;
        }
        int end;
        try {
            end = scan.end(in, true, headLimit, headerCheck);
        } catch (IllegalArgumentException | TooLongFrameException e) {
            fail(in, out, e);
            return;
        }
        if (end < 0) {
            return;
        }
        HttpResponse response;
        try {
            response = ResponseHeadParser.parse(in, in.readerIndex(), end);
        } catch (IllegalArgumentException e) {
            fail(in, out, e);
            return;
        }
        in.readerIndex(end);
        int code = response.status().code();
        boolean interim = code >= 100 && code < 200;
        // An interim response answers no request by itself: the final one follows.
        HttpMethod method = interim ? null : methods.poll();
        HttpHeaders headers = response.headers();
        boolean codings = headers.contains(HttpHeaderNames.TRANSFER_ENCODING);
        if (codings && TransferCodings.judge(headers) != TransferCodings.CHUNKED_OR_NONE) {
            // Only a lone "chunked" tells where the body ends; HAProxy refuses the rest.
            fail(in, out, new IllegalArgumentException("Transfer-Encoding other than chunked"));
            return;
        }
        long length;
        try {
            length = contentLength(response);
        } catch (IllegalArgumentException e) {
            fail(in, out, e);
            return;
        }
        resetHead();
        if (interim || code == 204 || code == 304 || HttpMethod.HEAD.equals(method)) {
            if (codings && interim) {
                // An interim response frames nothing.
                HttpUtil.setTransferEncodingChunked(response, false);
            } else if (codings) {
                // No body follows, but the coding is the server's word on the body it would have
                // sent: HAProxy 2.6.12 keeps it for the client (the client's encoder drops it from a
                // 204) and drops a length beside it. It does not reuse the connection after such a
                // 204 or 304, nor after a length beside the coding (the same close token as below),
                // but it does after a lone coding answering a HEAD.
                if (length >= 0 || code == 204 || code == 304) {
                    headers.add(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
                headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            }
            out.add(response);
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            state = code == 101 ? State.UPGRADED : State.HEAD;
        } else if (codings) {
            // The coding says where the body ends; a length beside it is dropped, as HAProxy does.
            // Such a message may have been read differently by something between us and the
            // server, so its connection is not reused either (HAProxy's neither): the close token
            // keeps it out of the pool, and goes with the other connection tokens before the
            // client or a rule sees the head.
            if (length >= 0) {
                headers.add(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            out.add(response);
            state = State.CHUNK_SIZE;
        } else if (length > 0) {
            out.add(response);
            left = length;
            state = State.FIXED_BODY;
        } else if (length == 0) {
            out.add(response);
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            out.add(response);
            state = State.CLOSE_DELIMITED;
        }
    }

    /**
     * The body's length, -1 without one; equal repeated lengths are one (written once), anything
     * else that is not one decimal number is refused (checked even beside a chunked coding, as
     * Netty's decoder did).
     */
    private long contentLength(HttpResponse response) {
        if (lengthLines == 0) {
            return -1;
        }
        HttpHeaders headers = response.headers();
        String first = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (lengthLines == 1 && digits(first)) {
            return Long.parseLong(first);
        }
        List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
        // Checked the same way whatever the version (Netty's decoder took an HTTP/1.0 response's
        // first length and left the rest to be read as the next response; HAProxy refuses
        // differing lengths and reads equal ones as one in both versions).
        long length = HttpUtil.normalizeAndGetContentLength(lengths, false, true);
        headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
        return length;
    }

    /** One to 18 decimal digits: a length that fits a long without further checks. */
    private static boolean digits(String value) {
        int n = value.length();
        if (n == 0 || n > 18) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Skips the empty lines a server may send before a response (Netty's decoder did too), then
     * checks that what starts is a status line: {@code HTTP/} in capitals (HAProxy refuses any other case).
     *
     * @return whether the status line's first bytes are here and right
     */
    private boolean skipEmptyLines(ByteBuf in, List<Object> out) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        while (i < end && (in.getByte(i) == HttpChars.CR || in.getByte(i) == HttpChars.LF)) {
            i++;
        }
        in.readerIndex(i);
        int available = Math.min(end - i, HTTP.length);
        for (int k = 0; k < available; k++) {
            if (in.getByte(i + k) != HTTP[k]) {
                fail(in, out, new IllegalArgumentException("not a status line"));
                return false;
            }
        }
        return available == HTTP.length;
    }

    /**
     * A header line as HAProxy reads it: a name of token characters then its colon, no blank
     * between (Netty's decoder cut a name at its first space instead); a line that starts with a
     * blank folds the line before, and counts with it; more lines than {@code tune.http.maxhdr}
     * allows are refused.
     */
    private void headerLine(ByteBuf in, int start, int end) {
        byte first = in.getByte(start);
        if (HttpChars.isBlank(first)) {
            if (headerLines == 0) {
                throw new IllegalArgumentException("a folded line without a header before it");
            }
            return;
        }
        int j = in.forEachByte(start, end - start, TOKEN);
        if (j < 0) {
            j = end;
        }
        if (j == start || j == end || in.getByte(j) != ':') {
            throw new IllegalArgumentException("malformed header line");
        }
        if (j - start == CONTENT_LENGTH_NAME.length && isContentLength(in, start)) {
            lengthLines++;
        }
        if (++headerLines >= maxHeaders) {
            throw new IllegalArgumentException("more than " + (maxHeaders - 1) + " header lines");
        }
    }

    private static boolean isContentLength(ByteBuf in, int start) {
        for (int k = 0; k < CONTENT_LENGTH_NAME.length; k++) {
            // ASCII letters and '-' only: setting 0x20 folds case and leaves '-' as it is.
            if ((in.getByte(start + k) | 0x20) != CONTENT_LENGTH_NAME[k]) {
                return false;
            }
        }
        return true;
    }

    private void resetHead() {
        scan.reset();
        headerLines = 0;
        lengthLines = 0;
    }

    // The body.

    private void fixedBody(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(Math.min(in.readableBytes(), maxContent), left);
        ByteBuf piece = in.readRetainedSlice(n);
        left -= n;
        if (left == 0) {
            // No trailers can follow a length: one shared empty set instead of a map per response.
            out.add(new DefaultLastHttpContent(piece, EmptyHttpHeaders.INSTANCE));
            state = State.HEAD;
        } else {
            out.add(new DefaultHttpContent(piece));
        }
    }

    private void chunkSize(ByteBuf in, List<Object> out) {
        int r = in.readerIndex();
        int searchEnd = (int) Math.min(in.writerIndex(), (long) r + lineLimit + 2);
        int lf = in.indexOf(r, searchEnd, HttpChars.LF);
        if (lf < 0) {
            if (searchEnd - r >= lineLimit + 2) {
                failChunk(in, out, "a chunk-size line longer than " + lineLimit + " bytes");
            }
            return;
        }
        if (lf == r || in.getByte(lf - 1) != HttpChars.CR) {
            failChunk(in, out, "a chunk-size line ended by a bare LF");
            return;
        }
        long size = ChunkSizeLine.parse(in, r, lf - 1);
        if (size == ChunkSizeLine.INVALID) {
            failChunk(in, out, "an invalid chunk size");
            return;
        }
        in.readerIndex(lf + 1);
        left = size;
        state = size == 0 ? State.TRAILERS : State.CHUNK_DATA;
    }

    private void chunkData(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(Math.min(in.readableBytes(), maxContent), left);
        left -= n;
        out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
        if (left == 0) {
            state = State.CHUNK_END;
        }
    }

    private void chunkEnd(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 2) {
            return;
        }
        int r = in.readerIndex();
        if (in.getByte(r) != HttpChars.CR || in.getByte(r + 1) != HttpChars.LF) {
            failChunk(in, out, "chunk data not followed by CRLF");
            return;
        }
        in.skipBytes(2);
        state = State.CHUNK_SIZE;
    }

    private void trailers(ByteBuf in, List<Object> out) {
        int r = in.readerIndex();
        if (in.readableBytes() >= 2 && in.getByte(r) == HttpChars.CR && in.getByte(r + 1) == HttpChars.LF) {
            in.skipBytes(2);
            resetHead();
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            state = State.HEAD;
            return;
        }
        LastHttpContent last;
        int end;
        try {
            end = scan.end(in, false, headLimit, headerCheck);
            if (end < 0) {
                return;
            }
            // Read as header lines, then the names that would reframe the message are dropped
            // (Netty's decoder dropped them too, rather than refusing the response).
            last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, DefaultHttpHeadersFactory.headersFactory());
            RequestHeadParser.headers(in, r, end, last.trailingHeaders());
        } catch (IllegalArgumentException | TooLongFrameException e) {
            failChunk(in, out, e.getMessage());
            return;
        }
        in.readerIndex(end);
        resetHead();
        // The framing of this message is settled: a trailer does not change it.
        last.trailingHeaders().remove(HttpHeaderNames.CONTENT_LENGTH)
                .remove(HttpHeaderNames.TRANSFER_ENCODING).remove(HttpHeaderNames.TRAILER);
        out.add(last);
        state = State.HEAD;
    }

    // Failures: nothing after them is decoded.

    private void fail(ByteBuf in, List<Object> out, Exception cause) {
        state = State.BAD;
        in.skipBytes(in.readableBytes());
        HttpResponse invalid = new DefaultHttpResponse(HttpVersion.HTTP_1_0, HttpResponseStatus.BAD_GATEWAY);
        invalid.setDecoderResult(DecoderResult.failure(cause));
        out.add(invalid);
    }

    private void failChunk(ByteBuf in, List<Object> out, String reason) {
        state = State.BAD;
        in.skipBytes(in.readableBytes());
        HttpContent invalid = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, EmptyHttpHeaders.INSTANCE);
        invalid.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(reason)));
        out.add(invalid);
    }
}
