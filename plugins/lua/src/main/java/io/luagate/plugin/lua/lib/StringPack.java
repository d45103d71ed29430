package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code string.pack}, {@code string.unpack} and {@code string.packsize} of Lua 5.3, for a
 * 64-bit little-endian platform (native sizes: short 2, int 4, long 8, size_t 8, max alignment 8).
 *
 * <p>Numbers are doubles in LuaJ, so 64-bit integers pack exactly only up to 2^53 (and the
 * doubles above that, which are all even); {@code unpack} of a larger 8-byte integer returns the
 * nearest double. Unsigned 64-bit values at or above 2^63 unpack as negative numbers, as in 5.3.
 */
final class StringPack {

    private static final int MAXINTSIZE = 16;
    private static final int NATIVE_ALIGN = 8;
    private static final int SZINT = 8;

    private enum K { INT, UINT, FLOAT, CHAR, STRING, ZSTR, PADDING, PADDALIGN, NOP }

    private StringPack() {
    }

    /** Parser state for one format string: 5.3's Header plus the read position. */
    private static final class Fmt {
        final byte[] b;
        int p;
        final int end;
        final String fname;
        boolean little = true;
        int maxAlign = 1;
        K opt;
        int size;
        int ntoalign;

        Fmt(LuaString f, String fname) {
            this.b = f.m_bytes;
            this.p = f.m_offset;
            this.end = f.m_offset + f.m_length;
            this.fname = fname;
        }

        boolean more() {
            return p < end;
        }

        private boolean digit() {
            return p < end && b[p] >= '0' && b[p] <= '9';
        }

        private int num(int df) {
            if (!digit()) {
                return df;
            }
            int a = 0;
            do {
                a = a * 10 + (b[p++] - '0');
            } while (digit() && a <= (Integer.MAX_VALUE - 9) / 10);
            return a;
        }

        private int numLimit(int df) {
            int sz = num(df);
            if (sz > MAXINTSIZE || sz <= 0) {
                throw new LuaError("integral size (" + sz + ") out of limits [1," + MAXINTSIZE + "]");
            }
            return sz;
        }

        /** 5.3's getoption: sets {@link #size} and returns the kind. */
        private K option() {
            int o = b[p++] & 0xff;
            size = 0;
            switch (o) {
                case 'b': size = 1; return K.INT;
                case 'B': size = 1; return K.UINT;
                case 'h': size = 2; return K.INT;
                case 'H': size = 2; return K.UINT;
                case 'l', 'j': size = 8; return K.INT;
                case 'L', 'J', 'T': size = 8; return K.UINT;
                case 'f': size = 4; return K.FLOAT;
                case 'd', 'n': size = 8; return K.FLOAT;
                case 'i': size = numLimit(4); return K.INT;
                case 'I': size = numLimit(4); return K.UINT;
                case 's': size = numLimit(8); return K.STRING;
                case 'c':
                    size = num(-1);
                    if (size == -1) {
                        throw new LuaError("missing size for format option 'c'");
                    }
                    return K.CHAR;
                case 'z': return K.ZSTR;
                case 'x': size = 1; return K.PADDING;
                case 'X': return K.PADDALIGN;
                case ' ': break;
                case '<', '=': little = true; break;
                case '>': little = false; break;
                case '!': maxAlign = numLimit(NATIVE_ALIGN); break;
                default: throw new LuaError("invalid format option '" + (char) o + "'");
            }
            return K.NOP;
        }

        /** 5.3's getdetails: the next option plus the padding that aligns it at {@code total}. */
        void next(long total) {
            opt = option();
            int align = size;
            if (opt == K.PADDALIGN) {
                if (p >= end) {
                    throw LuaArgs.argError(1, fname, "invalid next option for option 'X'");
                }
                int saved = size;
                K k = option();
                align = size;
                size = saved;
                if (k == K.CHAR || align == 0) {
                    throw LuaArgs.argError(1, fname, "invalid next option for option 'X'");
                }
            }
            if (align <= 1 || opt == K.CHAR) {
                ntoalign = 0;
            } else {
                if (align > maxAlign) {
                    align = maxAlign;
                }
                if ((align & (align - 1)) != 0) {
                    throw LuaArgs.argError(1, fname, "format asks for alignment not power of 2");
                }
                ntoalign = (align - (int) (total & (align - 1))) & (align - 1);
            }
        }
    }

    private static void packInt(ByteSink out, long v, boolean little, int size, boolean neg) {
        byte[] buf = new byte[size];
        for (int i = 0; i < size; i++) {
            // Past 8 bytes, sign-extend as 5.3 does for i9..i16.
            int byteVal = i < SZINT ? (int) (v >>> (8 * i)) & 0xff : neg ? 0xff : 0;
            buf[little ? i : size - 1 - i] = (byte) byteVal;
        }
        out.add(buf, 0, size);
    }

    private static long unpackInt(byte[] b, int off, boolean little, int size, boolean signed) {
        long res = 0;
        int limit = Math.min(size, SZINT);
        for (int i = limit - 1; i >= 0; i--) {
            res <<= 8;
            res |= b[off + (little ? i : size - 1 - i)] & 0xffL;
        }
        if (size < SZINT) {
            if (signed) {
                long mask = 1L << (size * 8 - 1);
                res = (res ^ mask) - mask;
            }
        } else if (size > SZINT) {
            int mask = (!signed || res >= 0) ? 0 : 0xff;
            for (int i = limit; i < size; i++) {
                if ((b[off + (little ? i : size - 1 - i)] & 0xff) != mask) {
                    throw new LuaError(size + "-byte integer does not fit into Lua Integer");
                }
            }
        }
        return res;
    }

    /**
     * 5.3's pack pushes a marker nil after its arguments, so a missing value is reported as
     * "got nil", not "got no value".
     */
    private static final class NilPadded extends Varargs {
        private final Varargs args;

        NilPadded(Varargs args) {
            this.args = args;
        }

        @Override
        public LuaValue arg(int i) {
            return args.arg(i);
        }

        @Override
        public int narg() {
            return Integer.MAX_VALUE;
        }

        @Override
        public LuaValue arg1() {
            return args.arg1();
        }

        @Override
        public Varargs subargs(int start) {
            return args.subargs(start);
        }
    }

    static final class Pack extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs given) {
            Fmt h = new Fmt(LuaArgs.checkString(given, 1, "pack"), "pack");
            Varargs args = new NilPadded(given);
            ByteSink out = new ByteSink(32);
            int arg = 1;
            long total = 0;
            while (h.more()) {
                h.next(total);
                int size = h.size;
                total += h.ntoalign + size;
                out.fill(0, h.ntoalign);
                arg++;
                switch (h.opt) {
                    case INT -> {
                        long n = LuaArgs.checkInteger(args, arg, "pack");
                        if (size < SZINT) {
                            long lim = 1L << (size * 8 - 1);
                            if (!(-lim <= n && n < lim)) {
                                throw LuaArgs.argError(arg, "pack", "integer overflow");
                            }
                        }
                        packInt(out, n, h.little, size, n < 0);
                    }
                    case UINT -> {
                        long n = LuaArgs.checkInteger(args, arg, "pack");
                        if (size < SZINT && Long.compareUnsigned(n, 1L << (size * 8)) >= 0) {
                            throw LuaArgs.argError(arg, "pack", "unsigned overflow");
                        }
                        packInt(out, n, h.little, size, false);
                    }
                    case FLOAT -> {
                        double d = LuaArgs.checkNumber(args, arg, "pack");
                        long bits = size == 4 ? Float.floatToRawIntBits((float) d) & 0xffffffffL
                                : Double.doubleToRawLongBits(d);
                        packInt(out, bits, h.little, size, false);
                    }
                    case CHAR -> {
                        LuaString s = LuaArgs.checkString(args, arg, "pack");
                        if (s.m_length > size) {
                            throw LuaArgs.argError(arg, "pack", "string longer than given size");
                        }
                        out.add(s);
                        out.fill(0, size - s.m_length);
                    }
                    case STRING -> {
                        LuaString s = LuaArgs.checkString(args, arg, "pack");
                        if (size < 8 && s.m_length >= 1L << (size * 8)) {
                            throw LuaArgs.argError(arg, "pack", "string length does not fit in given size");
                        }
                        packInt(out, s.m_length, h.little, size, false);
                        out.add(s);
                        total += s.m_length;
                    }
                    case ZSTR -> {
                        LuaString s = LuaArgs.checkString(args, arg, "pack");
                        if (s.indexOf((byte) 0, 0) >= 0) {
                            throw LuaArgs.argError(arg, "pack", "string contains zeros");
                        }
                        out.add(s);
                        out.add(0);
                        total += s.m_length + 1;
                    }
                    case PADDING -> {
                        out.add(0);
                        arg--;
                    }
                    default -> arg--;
                }
                if (total > Lua53Library.maxStringBytes()) {
                    throw new LuaError("resulting string too large");
                }
            }
            return out.toLuaString();
        }
    }

    static final class PackSize extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            Fmt h = new Fmt(LuaArgs.checkString(args, 1, "packsize"), "packsize");
            long total = 0;
            while (h.more()) {
                h.next(total);
                if (h.opt == K.STRING || h.opt == K.ZSTR) {
                    throw LuaArgs.argError(1, "packsize", "variable-length format");
                }
                total += h.ntoalign + h.size;
                if (total > Integer.MAX_VALUE) {
                    throw LuaArgs.argError(1, "packsize", "format result too large");
                }
            }
            return LuaArgs.integer(total);
        }
    }

    static final class Unpack extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            Fmt h = new Fmt(LuaArgs.checkString(args, 1, "unpack"), "unpack");
            LuaString data = LuaArgs.checkString(args, 2, "unpack");
            int ld = data.m_length;
            long init = LuaArgs.optInteger(args, 3, "unpack", 1);
            long rel = init >= 0 ? init : -init > ld ? 0 : ld + init + 1;
            long pos = rel - 1;
            if (pos < 0 || pos > ld) {
                throw LuaArgs.argError(3, "unpack", "initial position out of string");
            }
            byte[] b = data.m_bytes;
            int base = data.m_offset;
            java.util.ArrayList<LuaValue> out = new java.util.ArrayList<>();
            while (h.more()) {
                h.next(pos);
                int size = h.size;
                if ((long) h.ntoalign + size > ld - pos) {
                    throw LuaArgs.argError(2, "unpack", "data string too short");
                }
                pos += h.ntoalign;
                int at = base + (int) pos;
                switch (h.opt) {
                    case INT, UINT -> out.add(LuaArgs.integer(unpackInt(b, at, h.little, size, h.opt == K.INT)));
                    case FLOAT -> {
                        long bits = unpackInt(b, at, h.little, size, false);
                        out.add(LuaValue.valueOf(size == 4 ? Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits)));
                    }
                    case CHAR -> out.add(LuaString.valueOf(b, at, size));
                    case STRING -> {
                        long len = unpackInt(b, at, h.little, size, false);
                        if (len < 0 || len > ld - pos - size) {
                            throw LuaArgs.argError(2, "unpack", "data string too short");
                        }
                        out.add(LuaString.valueOf(b, at + size, (int) len));
                        pos += len;
                    }
                    case ZSTR -> {
                        // 5.3 runs strlen, which stops at the NUL after every C Lua string, so an
                        // unterminated last string is returned whole (5.4 made this an error).
                        int z = at;
                        while (z < base + ld && b[z] != 0) {
                            z++;
                        }
                        out.add(LuaString.valueOf(b, at, z - at));
                        pos += z - at + 1;
                    }
                    default -> {
                    }
                }
                pos += size;
            }
            out.add(LuaArgs.integer(pos + 1));
            return varargsOf(out.toArray(new LuaValue[0]));
        }
    }
}
