package io.luagate.plugin.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes read from one side and held back while rules look at them, as the buffers were read
 * (nothing is copied to keep them). Owns every buffer it holds until {@link #take}/{@link #takeAll}
 * hand them on or {@link #release} frees them. A change in the middle ({@link #replace}) copies the
 * whole content into one new buffer: rare, and bounded by {@code tune.bufsize}.
 */
final class HeldBytes {

    private final ArrayDeque<ByteBuf> parts = new ArrayDeque<>(2);
    private int size;
    /** The content as one array, for fetches that read it many times; rebuilt after a change. */
    private byte[] array;

    /** Takes ownership of {@code buf}. */
    void add(ByteBuf buf) {
        if (!buf.isReadable()) {
            buf.release();
            return;
        }
        parts.add(buf);
        size += buf.readableBytes();
        array = null;
    }

    int size() {
        return size;
    }

    /** The whole content as an array (shared: callers must not change it). */
    byte[] array() {
        if (array == null) {
            array = copy(0, size);
        }
        return array;
    }

    /** A copy of {@code length} bytes from {@code offset}. */
    byte[] copy(int offset, int length) {
        check(offset, length);
        byte[] out = new byte[length];
        int skip = offset;
        int at = 0;
        for (ByteBuf part : parts) {
            if (at == length) {
                break;
            }
            int readable = part.readableBytes();
            if (skip >= readable) {
                skip -= readable;
                continue;
            }
            int n = Math.min(readable - skip, length - at);
            part.getBytes(part.readerIndex() + skip, out, at, n);
            at += n;
            skip = 0;
        }
        return out;
    }

    /** Replaces {@code length} bytes at {@code offset} by {@code data}. */
    void replace(int offset, int length, byte[] data, ByteBufAllocator alloc) {
        check(offset, length);
        int newSize = size - length + data.length;
        if (newSize == 0) {
            release();
            return;
        }
        ByteBuf merged = alloc.buffer(newSize);
        copyInto(merged, 0, offset);
        merged.writeBytes(data);
        copyInto(merged, offset + length, size - offset - length);
        release();
        parts.add(merged);
        size = newSize;
    }

    /** Hands the first {@code n} bytes (at most what is held) to the caller, who then owns them. */
    List<ByteBuf> take(int n) {
        List<ByteBuf> out = new ArrayList<>(2);
        int left = Math.min(n, size);
        while (left > 0) {
            ByteBuf first = parts.peek();
            int readable = first.readableBytes();
            if (readable <= left) {
                out.add(parts.poll());
                left -= readable;
                size -= readable;
            } else {
                // The rest of this buffer stays held: the slice shares it and counts as its own reference.
                out.add(first.readRetainedSlice(left));
                size -= left;
                left = 0;
            }
        }
        if (!out.isEmpty()) {
            array = null;
        }
        return out;
    }

    /** Hands everything held to the caller, who then owns it. */
    List<ByteBuf> takeAll() {
        List<ByteBuf> out = new ArrayList<>(parts);
        parts.clear();
        size = 0;
        array = null;
        return out;
    }

    /** Frees everything held. */
    void release() {
        ByteBuf part;
        while ((part = parts.poll()) != null) {
            part.release();
        }
        size = 0;
        array = null;
    }

    private void copyInto(ByteBuf target, int offset, int length) {
        int skip = offset;
        int left = length;
        for (ByteBuf part : parts) {
            if (left == 0) {
                break;
            }
            int readable = part.readableBytes();
            if (skip >= readable) {
                skip -= readable;
                continue;
            }
            int n = Math.min(readable - skip, left);
            target.writeBytes(part, part.readerIndex() + skip, n);
            left -= n;
            skip = 0;
        }
    }

    private void check(int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IndexOutOfBoundsException("range " + offset + "+" + length + " outside the " + size + " bytes held");
        }
    }
}
