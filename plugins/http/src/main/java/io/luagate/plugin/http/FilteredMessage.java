package io.luagate.plugin.http;

import io.luagate.spi.filter.HttpMessage;
import io.luagate.spi.http.HttpHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * One direction's message as filters see it: the head, and while a body part passes, that part.
 * A filter that changes the part gets a new buffer; the part's old buffer is released then, so the
 * part handed on afterwards has exactly one owner.
 */
final class FilteredMessage implements HttpMessage {

    private final HttpHead head;
    private final boolean response;
    private final ByteBufAllocator alloc;
    private HttpContent part;
    private boolean end;
    /** Whether the message has a body at all (no payload calls without one). */
    private boolean hasBody = true;
    /** Whether the body's framing lets its length change (chunked, or ended by a close). */
    private boolean resizable;

    FilteredMessage(HttpHead head, boolean response, ByteBufAllocator alloc) {
        this.head = head;
        this.response = response;
        this.alloc = alloc;
    }

    @Override
    public boolean isResponse() {
        return response;
    }

    @Override
    public HttpHead head() {
        return head;
    }

    @Override
    public boolean endOfMessage() {
        return end;
    }

    /** How the head left: whether a body follows, and whether its length may change. */
    void framing(boolean hasBody, boolean resizable) {
        this.hasBody = hasBody;
        this.resizable = resizable;
    }

    /** {@code content} passes now; filters may replace it. */
    void pass(HttpContent content) {
        part = content;
        end = content instanceof LastHttpContent;
    }

    /** The part as the filters left it; this message no longer holds it. */
    HttpContent take() {
        HttpContent out = part;
        part = null;
        return out;
    }

    @Override
    public int input() {
        return part == null ? 0 : part.content().readableBytes();
    }

    @Override
    public byte[] read(int offset, int length) {
        check(offset, length);
        byte[] out = new byte[length];
        if (length == 0) {
            return out;
        }
        ByteBuf buf = part.content();
        buf.getBytes(buf.readerIndex() + offset, out);
        return out;
    }

    @Override
    public boolean replace(int offset, int length, byte[] data) {
        // No body: its head promised none, so no bytes may appear whatever the framing says.
        if (part == null || data.length != length && (!resizable || !hasBody)) {
            return false;
        }
        check(offset, length);
        ByteBuf old = part.content();
        int size = old.readableBytes();
        ByteBuf next = alloc.buffer(size - length + data.length);
        next.writeBytes(old, old.readerIndex(), offset)
                .writeBytes(data)
                .writeBytes(old, old.readerIndex() + offset + length, size - offset - length);
        HttpContent replaced;
        if (part instanceof LastHttpContent last) {
            DefaultLastHttpContent copy = new DefaultLastHttpContent(next);
            copy.trailingHeaders().set(last.trailingHeaders());
            replaced = copy;
        } else {
            replaced = new DefaultHttpContent(next);
        }
        part.release();
        part = replaced;
        return true;
    }

    private void check(int offset, int length) {
        int size = input();
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new IndexOutOfBoundsException("bytes " + offset + ".." + (offset + length) + " of a body part of " + size);
        }
    }
}
