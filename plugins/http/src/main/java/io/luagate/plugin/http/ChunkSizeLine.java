package io.luagate.plugin.http;

import io.luagate.spi.http.HttpToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * A chunk-size line of a chunked body (RFC 9112 section 7.1): hexadecimal digits, then optional
 * extensions ({@code ;name}, {@code ;name=token}, {@code ;name="quoted"}, blanks allowed around
 * {@code ;} and {@code =}), which are checked and dropped. Stricter than HAProxy 2.6.12 on purpose,
 * as Netty's decoder was: nothing before the digits, and blanks after them only before an extension
 * ({@code "3 "} is refused), so no two readers can disagree on where a chunk starts. Written
 * ({@link #encode}) as Netty's encoder wrote it: lower-case digits, no extension.
 */
final class ChunkSizeLine {

    /** The line is not a chunk size. */
    static final long INVALID = -1;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private ChunkSizeLine() {
    }

    /** The line that opens a chunk of {@code size} bytes ({@code > 0}), with its CRLF, in a buffer of its own. */
    static ByteBuf encode(ByteBufAllocator alloc, long size) {
        int digits = (67 - Long.numberOfLeadingZeros(size)) >> 2;
        ByteBuf line = alloc.buffer(digits + 2);
        for (int shift = (digits - 1) << 2; shift >= 0; shift -= 4) {
            line.writeByte(HEX[(int) (size >>> shift) & 0xf]);
        }
        return line.writeByte(HttpChars.CR).writeByte(HttpChars.LF);
    }

    /** The chunk size on the line {@code [start, end)} (its CRLF excluded), or {@link #INVALID}. */
    static long parse(ByteBuf in, int start, int end) {
        long size = 0;
        int i = start;
        while (i < end) {
            int digit = HttpChars.hexValue(in.getByte(i));
            if (digit < 0) {
                break;
            }
            if (size > (Long.MAX_VALUE >> 4)) {
                return INVALID;
            }
            size = size << 4 | digit;
            i++;
        }
        if (i == start) {
            return INVALID;
        }
        return i == end || extensions(in, i, end) ? size : INVALID;
    }

    /** Whether {@code [i, end)} is a list of chunk extensions, each after its {@code ;}. */
    private static boolean extensions(ByteBuf in, int i, int end) {
        while (i < end) {
            i = blanks(in, i, end);
            if (i == end || in.getByte(i) != ';') {
                return false;
            }
            i = blanks(in, i + 1, end);
            int name = i;
            i = token(in, i, end);
            if (i == name) {
                return false;
            }
            i = blanks(in, i, end);
            if (i < end && in.getByte(i) == '=') {
                i = blanks(in, i + 1, end);
                int value = i;
                i = i < end && in.getByte(i) == '"' ? quoted(in, i + 1, end) : token(in, i, end);
                if (i < 0 || i == value) {
                    return false;
                }
                i = blanks(in, i, end);
            }
        }
        return true;
    }

    private static int token(ByteBuf in, int i, int end) {
        while (i < end && HttpToken.isTokenChar(in.getByte(i))) {
            i++;
        }
        return i;
    }

    private static int blanks(ByteBuf in, int i, int end) {
        while (i < end && HttpChars.isBlank(in.getByte(i))) {
            i++;
        }
        return i;
    }

    /** The index after the closing quote of a quoted-string whose content starts at {@code i}, or -1. */
    private static int quoted(ByteBuf in, int i, int end) {
        while (i < end) {
            int b = in.getByte(i) & 0xff;
            if (b == '"') {
                return i + 1;
            }
            if (b == '\\') {
                if (++i == end || !visibleOrBlank(in.getByte(i) & 0xff)) {
                    return -1;
                }
            } else if (!visibleOrBlank(b)) {
                return -1;
            }
            i++;
        }
        return -1;
    }

    /** HTAB, SP, VCHAR, obs-text. */
    private static boolean visibleOrBlank(int b) {
        return b == '\t' || b >= ' ' && b != 0x7f;
    }
}
