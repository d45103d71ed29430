package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;

/**
 * The bytes of an HTTP/1 head (start line and header lines, or a last chunk's trailer section) as
 * an encoder writes them: into an array kept per thread, then copied once into a buffer of exactly
 * their size. Netty's encoders wrote into a buffer sized from a guess, one bulk copy per header
 * name, each through an NIO view of the direct buffer (this JDK gives Netty no {@code Unsafe});
 * here the head is one copy and one allocation, a small body after it included.
 *
 * <p>Characters are written as Netty's encoders write a {@code CharSequence} to a buffer: a char
 * up to 0xFF is that byte, anything above is {@code '?'} ({@code AsciiString.c2b}). One head is
 * written at a time per thread: an encoder finishes with it ({@link #toBuffer}) before it writes
 * anything down the pipeline, so a write made from there cannot find it half-filled.
 */
final class HeadBytes {

    /** Kept between heads; a thread that wrote a larger head keeps at most this much. */
    private static final int KEPT = 16 * 1024;

    private static final FastThreadLocal<HeadBytes> THREAD = new FastThreadLocal<>() {
        @Override
        protected HeadBytes initialValue() {
            return new HeadBytes();
        }
    };

    private byte[] bytes = new byte[1024];
    private int length;

    private HeadBytes() {
    }

    /** The thread's head, empty. */
    static HeadBytes start() {
        HeadBytes head = THREAD.get();
        head.length = 0;
        return head;
    }

    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    HeadBytes write(int b) {
        room(1);
        bytes[length++] = (byte) b;
        return this;
    }

    HeadBytes crlf() {
        room(2);
        bytes[length++] = HttpChars.CR;
        bytes[length++] = HttpChars.LF;
        return this;
    }

    /** {@code chars} as Netty writes a {@code CharSequence} in US-ASCII or ISO-8859-1: see the class. */
    HeadBytes chars(CharSequence chars) {
        int n = chars.length();
        room(n);
        if (chars instanceof AsciiString ascii) {
            System.arraycopy(ascii.array(), ascii.arrayOffset(), bytes, length, n);
        } else {
            byte[] b = bytes;
            int at = length;
            for (int i = 0; i < n; i++) {
                char c = chars.charAt(i);
                b[at + i] = (byte) (c > 0xff ? '?' : c);
            }
        }
        length += n;
        return this;
    }

    /** The decimal digits of {@code value}, not negative. */
    HeadBytes decimal(int value) {
        if (value >= 100 && value <= 999) {
            room(3);
            bytes[length++] = (byte) ('0' + value / 100);
            bytes[length++] = (byte) ('0' + value / 10 % 10);
            bytes[length++] = (byte) ('0' + value % 10);
            return this;
        }
        return chars(Integer.toString(value));
    }

    /** A header line: {@code name: value} and its CRLF. */
    HeadBytes header(CharSequence name, CharSequence value) {
        chars(name);
        room(2);
        bytes[length++] = ':';
        bytes[length++] = ' ';
        return chars(value).crlf();
    }

    /**
     * A buffer of exactly the head's bytes, then {@code body}'s readable bytes if any (left as they
     * are: the caller owns {@code body}). The thread's array is trimmed back if a large head grew it.
     */
    ByteBuf toBuffer(ByteBufAllocator alloc, ByteBuf body) {
        int bodyLength = body == null ? 0 : body.readableBytes();
        if (bodyLength > 0) {
            // Into the array first: a copy from a slice of the server's read buffer straight into
            // the new buffer would go through two NIO views, this through one.
            room(bodyLength);
            body.getBytes(body.readerIndex(), bytes, length, bodyLength);
            length += bodyLength;
        }
        ByteBuf buf = alloc.buffer(length);
        buf.writeBytes(bytes, 0, length);
        if (bytes.length > KEPT) {
            bytes = new byte[KEPT];
        }
        length = 0;
        return buf;
    }
}
