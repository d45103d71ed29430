package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseCombiner;
import io.netty.util.internal.StringUtil;
import java.util.Iterator;
import java.util.Map;

/**
 * The bytes of HTTP/1 messages going out, one message at a time, as Netty's {@code
 * HttpObjectEncoder} wrote them: the head (start line, header lines in the map's order, names and
 * values as they are, the blank line) in one buffer ({@link HeadBytes}), with a small body behind
 * it when the message carries it whole; the body after it as its head frames it: as it is, chunked
 * ({@link ChunkSizeLine}, the trailer section after the last chunk), or dropped when the message
 * never has one (the subclasses say when). Parts of one write go down the pipeline in order, each
 * with its share of the write's promise; no list is kept between or during writes.
 *
 * @param <H> the messages this side sends (requests or responses)
 */
abstract class Http1MessageEncoder<H extends HttpMessage> extends ChannelOutboundHandlerAdapter {

    /** A head carrying a body of at most this many bytes goes out with it in one buffer (Netty's figure). */
    static final int MERGED_BODY = 128;

    /** Between messages. */
    private static final int AWAITING_HEAD = 0;
    /** The body as it is: framed by its length or by the connection's close. */
    static final int AS_IS = 1;
    static final int CHUNKED = 2;
    /** No body whatever the head says (HEAD, 1xx, 204, 304, ...): what comes is dropped. */
    static final int NONE = 3;
    /** The framing is read off the header lines as they are written ({@link #framingBeforeHeaders}). */
    static final int FROM_HEADERS = -1;

    private static final ByteBuf CRLF = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(2).writeByte(HttpChars.CR).writeByte(HttpChars.LF)).asReadOnly();
    private static final ByteBuf DATA_END_LAST_CHUNK = Unpooled.unreleasableBuffer(Unpooled.directBuffer(7)
            .writeBytes(new byte[] {HttpChars.CR, HttpChars.LF, '0', HttpChars.CR, HttpChars.LF, HttpChars.CR, HttpChars.LF}))
            .asReadOnly();
    private static final ByteBuf LAST_CHUNK = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(5).writeBytes(new byte[] {'0', HttpChars.CR, HttpChars.LF, HttpChars.CR, HttpChars.LF}))
            .asReadOnly();

    private int state = AWAITING_HEAD;

    /** Whether this side encodes {@code msg}; anything else goes down the pipeline untouched. */
    abstract boolean accepts(Object msg);

    /** Writes the start line of {@code message} with its CRLF. */
    abstract void startLine(HeadBytes head, H message);

    /**
     * How the body of {@code message} is framed, when that is not read off its header lines:
     * {@link #NONE}, {@link #CHUNKED} or {@link #AS_IS}, after any change this side makes to the
     * header map; or {@link #FROM_HEADERS}, the map left as it is.
     */
    abstract int framingBeforeHeaders(H message);

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (!accepts(msg)) {
            ctx.write(msg, promise);
            return;
        }
        try {
            encode(ctx, msg, promise);
        } catch (EncoderException e) {
            throw e;
        } catch (Throwable t) {
            throw new EncoderException(t);
        }
    }

    @SuppressWarnings("unchecked")
    private void encode(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg == Unpooled.EMPTY_BUFFER) {
            ctx.write(msg, promise);
            return;
        }
        if (msg instanceof HttpMessage) {
            try {
                if (state != AWAITING_HEAD) {
                    throw unexpected(msg);
                }
                message(ctx, (H) msg, promise);
            } finally {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (state == AWAITING_HEAD) {
            try {
                if (msg instanceof ByteBuf buf && !buf.isReadable()) {
                    // ch.write(EMPTY_BUFFER)-like writes between messages (a flush with a listener).
                    ctx.write(buf.retain(), promise);
                    return;
                }
                throw unexpected(msg);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
        if (msg == LastHttpContent.EMPTY_LAST_CONTENT) {
            int framing = state;
            state = AWAITING_HEAD;
            ctx.write(framing == CHUNKED ? LAST_CHUNK.duplicate() : Unpooled.EMPTY_BUFFER, promise);
        } else if (msg instanceof HttpContent content) {
            try {
                if (content instanceof LastHttpContent last) {
                    int framing = state;
                    state = AWAITING_HEAD;
                    body(ctx, framing, content.content(), last.trailingHeaders(), promise);
                } else {
                    body(ctx, state, content.content(), null, promise);
                }
            } finally {
                content.release();
            }
        } else if (msg instanceof ByteBuf buf) {
            try {
                if (buf.isReadable()) {
                    body(ctx, state, buf, null, promise);
                } else {
                    ctx.write(buf.retain(), promise);
                }
            } finally {
                buf.release();
            }
        } else if (msg instanceof FileRegion region) {
            try {
                region(ctx, region, promise);
            } finally {
                region.release();
            }
        } else {
            ReferenceCountUtil.release(msg);
            throw unexpected(msg);
        }
    }

    /** A head, and what the same message carries of its body. */
    private void message(ChannelHandlerContext ctx, H message, ChannelPromise promise) {
        HeadBytes head = HeadBytes.start();
        startLine(head, message);
        int framing = framingBeforeHeaders(message);
        int read = headerLines(head, message.headers(), framing == FROM_HEADERS);
        head.crlf();
        if (framing == FROM_HEADERS) {
            framing = read;
        }
        if (!(message instanceof HttpContent content)) {
            state = framing;
            ctx.write(head.toBuffer(ctx.alloc(), null), promise);
            return;
        }
        ByteBuf body = content.content();
        boolean last = message instanceof LastHttpContent;
        state = last ? AWAITING_HEAD : framing;
        int length = body.readableBytes();
        if (framing == AS_IS && length > 0 && length <= MERGED_BODY) {
            ctx.write(head.toBuffer(ctx.alloc(), body), promise);
            return;
        }
        ByteBuf headBuf = head.toBuffer(ctx.alloc(), null);
        if (framing == NONE || framing == AS_IS && length == 0) {
            ctx.write(headBuf, promise);
        } else if (framing == AS_IS) {
            write(ctx, promise, headBuf, body.retain(), null, null);
        } else {
            chunk(ctx, headBuf, body, last ? ((LastHttpContent) message).trailingHeaders() : null, promise);
        }
    }

    /**
     * Writes the header lines; when {@code findChunked}, whether a Transfer-Encoding line names
     * {@code chunked} ({@link #CHUNKED} or {@link #AS_IS}), as {@link HttpUtil#isTransferEncodingChunked}
     * answers from the map, read on the way instead of by a look-up of its own.
     */
    private static int headerLines(HeadBytes head, HttpHeaders headers, boolean findChunked) {
        boolean chunked = false;
        boolean lookUp = false;
        Iterator<Map.Entry<CharSequence, CharSequence>> lines = headers.iteratorCharSequence();
        while (lines.hasNext()) {
            Map.Entry<CharSequence, CharSequence> line = lines.next();
            CharSequence name = line.getKey();
            CharSequence value = line.getValue();
            head.header(name, value);
            if (findChunked && !chunked && isTransferEncoding(name)) {
                if (value instanceof String text) {
                    chunked = namesChunked(text);
                } else {
                    // Not a parsed or set string (a constant, say): the map's own reading, as Netty's.
                    lookUp = true;
                }
            }
        }
        if (lookUp && !chunked) {
            chunked = headers.containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true);
        }
        return chunked ? CHUNKED : AS_IS;
    }

    /** The name compared as the header map compares names: ASCII letters in either case. */
    private static boolean isTransferEncoding(CharSequence name) {
        return name.length() == 17 && AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TRANSFER_ENCODING);
    }

    /** Whether one of the comma-separated elements of {@code value}, blanks trimmed, is {@code chunked} in any case. */
    private static boolean namesChunked(String value) {
        int start = 0;
        int length = value.length();
        while (start < length) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            int from = start;
            int to = end;
            while (from < to && value.charAt(from) <= ' ') {
                from++;
            }
            while (to > from && value.charAt(to - 1) <= ' ') {
                to--;
            }
            if (to - from == 7 && isChunked(value, from)) {
                return true;
            }
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return false;
    }

    /** A body piece (or none) after the head, as {@code framing} says. */
    private void body(ChannelHandlerContext ctx, int framing, ByteBuf body, HttpHeaders trailers, ChannelPromise promise) {
        if (framing == CHUNKED) {
            chunk(ctx, null, body, trailers, promise);
        } else if (framing == AS_IS && body.isReadable()) {
            ctx.write(body.retain(), promise);
        } else {
            ctx.write(Unpooled.EMPTY_BUFFER, promise);
        }
    }

    /**
     * A chunk of {@code body}'s bytes (none if it is empty), and when {@code trailers} is given
     * the last chunk and the trailer section; {@code head} (or {@code null}) goes first.
     */
    private static void chunk(ChannelHandlerContext ctx, ByteBuf head, ByteBuf body, HttpHeaders trailers,
            ChannelPromise promise) {
        int length = body.readableBytes();
        ByteBuf end = trailers == null ? null : lastChunk(ctx, trailers, length > 0);
        if (length > 0) {
            ByteBuf sizeLine = ChunkSizeLine.encode(ctx.alloc(), length);
            if (head == null) {
                write(ctx, promise, sizeLine, body.retain(), end == null ? CRLF.duplicate() : end, null);
            } else {
                write(ctx, promise, head, sizeLine, body.retain(), end == null ? CRLF.duplicate() : end);
            }
        } else {
            Object after = end == null ? body.retain() : end;
            write(ctx, promise, head == null ? after : head, head == null ? null : after, null, null);
        }
    }

    /** The last chunk and the trailer section; after a chunk's data, with that chunk's CRLF first. */
    private static ByteBuf lastChunk(ChannelHandlerContext ctx, HttpHeaders trailers, boolean afterData) {
        if (trailers.isEmpty()) {
            return (afterData ? DATA_END_LAST_CHUNK : LAST_CHUNK).duplicate();
        }
        HeadBytes section = HeadBytes.start();
        if (afterData) {
            section.crlf();
        }
        section.write('0').crlf();
        Iterator<Map.Entry<CharSequence, CharSequence>> lines = trailers.iteratorCharSequence();
        while (lines.hasNext()) {
            Map.Entry<CharSequence, CharSequence> line = lines.next();
            section.header(line.getKey(), line.getValue());
        }
        return section.crlf().toBuffer(ctx.alloc(), null);
    }

    /** {@code chunked} at {@code from}, ASCII letters in either case (as Netty compares, not as Java folds case). */
    private static boolean isChunked(String value, int from) {
        String chunked = "chunked";
        for (int i = 0; i < 7; i++) {
            if ((value.charAt(from + i) | 0x20) != chunked.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void region(ChannelHandlerContext ctx, FileRegion region, ChannelPromise promise) {
        long count = region.count();
        if (state == CHUNKED) {
            if (count > 0) {
                write(ctx, promise, ChunkSizeLine.encode(ctx.alloc(), count), region.retain(), CRLF.duplicate(), null);
            } else {
                ctx.write(region.retain(), promise);
            }
        } else if (state == AS_IS && count > 0) {
            ctx.write(region.retain(), promise);
        } else {
            ctx.write(Unpooled.EMPTY_BUFFER, promise);
        }
    }

    /** Up to four parts in order ({@code null}s skipped), each with its share of {@code promise}. */
    private static void write(ChannelHandlerContext ctx, ChannelPromise promise, Object a, Object b, Object c, Object d) {
        if (b == null) {
            ctx.write(a, promise);
        } else if (promise.isVoid()) {
            ctx.write(a, promise);
            ctx.write(b, promise);
            if (c != null) {
                ctx.write(c, promise);
            }
            if (d != null) {
                ctx.write(d, promise);
            }
        } else {
            PromiseCombiner combiner = new PromiseCombiner(ctx.executor());
            combiner.add(ctx.write(a));
            combiner.add(ctx.write(b));
            if (c != null) {
                combiner.add(ctx.write(c));
            }
            if (d != null) {
                combiner.add(ctx.write(d));
            }
            combiner.finish(promise);
        }
    }

    private IllegalStateException unexpected(Object msg) {
        return new IllegalStateException("unexpected message type: " + StringUtil.simpleClassName(msg) + ", state: " + state);
    }
}
