package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.WrappedByteBuf;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A buffer whose bytes cannot be read out (every copy throws), as a payload the frame writer fails
 * to copy into its batch. It owns the buffer it wraps, a heap one (no memory address to copy
 * from behind its back): its release is that buffer's.
 */
final class CopyRefusingBuf extends WrappedByteBuf {

    CopyRefusingBuf(byte[] bytes) {
        super(Unpooled.wrappedBuffer(bytes));
    }

    private static IllegalStateException refused() {
        return new IllegalStateException("this payload cannot be copied");
    }

    @Override
    public boolean hasArray() {
        return false;
    }

    @Override
    public int nioBufferCount() {
        return 0;
    }

    @Override
    public ByteBuffer nioBuffer(int index, int length) {
        throw refused();
    }

    @Override
    public ByteBuffer[] nioBuffers(int index, int length) {
        throw refused();
    }

    @Override
    public ByteBuf getBytes(int index, ByteBuf dst, int dstIndex, int length) {
        throw refused();
    }

    @Override
    public ByteBuf getBytes(int index, byte[] dst, int dstIndex, int length) {
        throw refused();
    }

    @Override
    public ByteBuf getBytes(int index, ByteBuffer dst) {
        throw refused();
    }

    @Override
    public ByteBuf getBytes(int index, OutputStream out, int length) {
        throw refused();
    }
}
