package io.luagate.plugin.tcp;

import io.luagate.spi.rule.ChannelBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;

/**
 * The bytes of one write on their way to a peer, as a TCP filter sees them ({@code tcp_payload}'s
 * channel): all of it is input, which the filter may read and change; nothing more will arrive in
 * this call. A change puts the bytes in a new buffer and releases the old one, so the buffer
 * handed on afterwards has exactly one owner.
 */
final class PassingBytes implements ChannelBuffer {

    private final boolean response;
    private final ByteBufAllocator alloc;
    private final EventExecutor loop;
    private ByteBuf bytes;

    PassingBytes(boolean response, ByteBuf bytes, ByteBufAllocator alloc, EventExecutor loop) {
        this.response = response;
        this.bytes = bytes;
        this.alloc = alloc;
        this.loop = loop;
    }

    /** The bytes as the filters left them; this object no longer holds them. */
    ByteBuf take() {
        ByteBuf out = bytes;
        bytes = null;
        return out;
    }

    @Override
    public boolean isResponse() {
        return response;
    }

    @Override
    public boolean rawAccess() {
        return true;
    }

    @Override
    public int input() {
        return bytes == null ? 0 : bytes.readableBytes();
    }

    @Override
    public int output() {
        return 0;
    }

    @Override
    public boolean mayReceive() {
        return false;
    }

    @Override
    public boolean isFull() {
        return false;
    }

    @Override
    public boolean moreMayCome() {
        return false;
    }

    @Override
    public void onChange(Runnable task) {
        // Nothing changes while a filter holds these bytes: a waiter looks again at once.
        loop.execute(task);
    }

    @Override
    public byte[] read(int offset, int length) {
        check(offset, length);
        byte[] out = new byte[length];
        bytes.getBytes(bytes.readerIndex() + offset, out);
        return out;
    }

    @Override
    public int set(int offset, int length, byte[] data) {
        check(offset, length);
        int size = bytes.readableBytes();
        ByteBuf next = alloc.buffer(size - length + data.length);
        next.writeBytes(bytes, bytes.readerIndex(), offset)
                .writeBytes(data)
                .writeBytes(bytes, bytes.readerIndex() + offset + length, size - offset - length);
        bytes.release();
        bytes = next;
        return data.length;
    }

    @Override
    public int remove(int offset, int length) {
        set(offset, length, new byte[0]);
        return length;
    }

    /** The bytes passing now go right after the call: what is sent goes first. */
    @Override
    public int send(byte[] data) {
        return insert(0, data);
    }

    /** Everything passing now goes on after the call: forwarding changes nothing. */
    @Override
    public int forward(int length) {
        return Math.max(0, Math.min(length, input()));
    }

    private void check(int offset, int length) {
        int size = input();
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new IndexOutOfBoundsException("bytes " + offset + ".." + (offset + length) + " of " + size);
        }
    }
}
