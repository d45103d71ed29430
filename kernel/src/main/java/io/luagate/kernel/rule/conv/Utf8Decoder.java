package io.luagate.kernel.rule.conv;

/**
 * HAProxy's utf8_next() (src/tools.c): decodes one character, up to 6-byte sequences, and reports
 * a bad sequence, an invalid range (surrogates, U+FFFE, U+FFFF) or an overlong encoding.
 */
final class Utf8Decoder {

    static final int OK = 0x00;
    static final int OVERLONG = 0x10;
    static final int INVALID_RANGE = 0x20;
    static final int BAD_SEQUENCE = 0x40;

    private Utf8Decoder() {
    }

    /**
     * Decodes the character at {@code at} of a one-byte-per-char string.
     *
     * @return the code point, status and length in bytes, packed: read them with
     *         {@link #codePoint}, {@link #status} and {@link #length}
     */
    static long next(String s, int at) {
        int len = s.length() - at;
        int first = s.charAt(at) & 0xff;
        int c;
        int more;
        if (first <= 0x7f) {
            return pack(first, OK, 1);
        } else if (first <= 0xbf) {
            return pack(first, BAD_SEQUENCE, 1);
        } else if (first <= 0xdf) {
            c = first & 0x1f;
            more = 1;
        } else if (first <= 0xef) {
            c = first & 0x0f;
            more = 2;
        } else if (first <= 0xf7) {
            c = first & 0x07;
            more = 3;
        } else if (first <= 0xfb) {
            c = first & 0x03;
            more = 4;
        } else if (first <= 0xfd) {
            c = first & 0x01;
            more = 5;
        } else {
            return pack(first, BAD_SEQUENCE, 1);
        }
        if (len < more + 1) {
            return pack(first, BAD_SEQUENCE, 1);
        }
        int p = at + 1;
        for (int k = 0; k < more; k++, p++) {
            int b = s.charAt(p) & 0xff;
            if ((b & 0xc0) != 0x80) {
                return pack(c, BAD_SEQUENCE, p - at);
            }
            c = (c << 6) | (b & 0x3f);
        }
        int length = p - at;
        int status = OK;
        long u = c & 0xffffffffL;
        if ((u <= 0x7f && length > 1) || (u >= 0x80 && u <= 0x7ff && length > 2)
                || (u >= 0x800 && u <= 0xffff && length > 3) || (u >= 0x10000 && u <= 0x1fffff && length > 4)) {
            status |= OVERLONG;
        }
        if ((u >= 0xd800 && u <= 0xdfff) || (u >= 0xfffe && u <= 0xffff)) {
            status |= INVALID_RANGE;
        }
        return pack(c, status, length);
    }

    private static long pack(int codePoint, int status, int length) {
        return ((codePoint & 0xffffffffL) << 32) | ((long) status << 8) | length;
    }

    static long codePoint(long packed) {
        return packed >>> 32;
    }

    static int status(long packed) {
        return (int) (packed >>> 8) & 0xff;
    }

    static int length(long packed) {
        return (int) packed & 0xff;
    }
}
