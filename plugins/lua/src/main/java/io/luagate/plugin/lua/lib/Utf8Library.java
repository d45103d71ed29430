package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Lua 5.3's {@code utf8} library, which LuaJ lacks. Works on the string's bytes with 5.3's
 * decoder rules: up to U+10FFFF, overlong forms refused, surrogates accepted (5.3 does not check
 * them).
 */
final class Utf8Library {

    /** Matches exactly one UTF-8 byte sequence, as 5.3's {@code utf8.charpattern}. */
    static final LuaString CHARPATTERN = LuaString.valueUsing(new byte[] {
        '[', 0, '-', 0x7f, (byte) 0xc2, '-', (byte) 0xf4, ']', '[', (byte) 0x80, '-', (byte) 0xbf, ']', '*'});
    private static final int MAXUNICODE = 0x10FFFF;
    private static final int[] LIMITS = {0xFF, 0x7F, 0x7FF, 0xFFFF};

    private Utf8Library() {
    }

    static LuaTable create() {
        LuaTable t = new LuaTable();
        t.set("char", new Char());
        t.set("charpattern", CHARPATTERN);
        t.set("codepoint", new CodePoint());
        t.set("len", new Len());
        t.set("offset", new Offset());
        t.set("codes", new Codes());
        return t;
    }

    /** The byte at {@code i}, or 0 past the end (C strings end with a NUL that 5.3's decoder may read). */
    private static int at(LuaString s, long i) {
        return i < s.m_length ? s.m_bytes[s.m_offset + (int) i] & 0xff : 0;
    }

    private static boolean isCont(LuaString s, long i) {
        return (at(s, i) & 0xC0) == 0x80;
    }

    /**
     * Decodes the sequence at byte {@code i}; returns {@code (code << 32) | nextIndex}, or -1 when
     * the bytes are not valid UTF-8.
     */
    static long decode(LuaString s, int i) {
        int c = at(s, i);
        int res = 0;
        if (c < 0x80) {
            res = c;
        } else {
            int count = 0;
            while ((c & 0x40) != 0) {
                int cc = at(s, i + ++count);
                if ((cc & 0xC0) != 0x80) {
                    return -1;
                }
                res = (res << 6) | (cc & 0x3F);
                c <<= 1;
            }
            res |= (c & 0x7F) << (count * 5);
            if (count > 3 || res > MAXUNICODE || res <= LIMITS[count]) {
                return -1;
            }
            i += count;
        }
        return ((long) res << 32) | (i + 1);
    }

    /** 5.3's u_posrelat: negative positions count from the end, too negative ones become 0. */
    private static long posrelat(long pos, int len) {
        if (pos >= 0) {
            return pos;
        }
        return -pos > len ? 0 : len + pos + 1;
    }

    static void encode(ByteSink out, int x) {
        if (x < 0x80) {
            out.add(x);
        } else if (x < 0x800) {
            out.add(0xC0 | (x >> 6));
            out.add(0x80 | (x & 0x3F));
        } else if (x < 0x10000) {
            out.add(0xE0 | (x >> 12));
            out.add(0x80 | ((x >> 6) & 0x3F));
            out.add(0x80 | (x & 0x3F));
        } else {
            out.add(0xF0 | (x >> 18));
            out.add(0x80 | ((x >> 12) & 0x3F));
            out.add(0x80 | ((x >> 6) & 0x3F));
            out.add(0x80 | (x & 0x3F));
        }
    }

    private static final class Char extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            int n = args.narg();
            ByteSink out = new ByteSink(n * 4);
            for (int i = 1; i <= n; i++) {
                long code = LuaArgs.checkInteger(args, i, "char");
                if (code < 0 || code > MAXUNICODE) {
                    throw LuaArgs.argError(i, "char", "value out of range");
                }
                encode(out, (int) code);
            }
            return out.toLuaString();
        }
    }

    private static final class CodePoint extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaString s = LuaArgs.checkString(args, 1, "codepoint");
            int len = s.m_length;
            long posi = posrelat(LuaArgs.optInteger(args, 2, "codepoint", 1), len);
            long pose = posrelat(LuaArgs.optInteger(args, 3, "codepoint", posi), len);
            if (posi < 1) {
                throw LuaArgs.argError(2, "codepoint", "out of range");
            }
            if (pose > len) {
                throw LuaArgs.argError(3, "codepoint", "out of range");
            }
            if (posi > pose) {
                return NONE;
            }
            LuaValue[] codes = new LuaValue[(int) (pose - posi + 1)];
            int n = 0;
            int i = (int) posi - 1;
            while (i < pose) {
                long r = decode(s, i);
                if (r < 0) {
                    throw new LuaError("invalid UTF-8 code");
                }
                codes[n++] = LuaValue.valueOf((int) (r >>> 32));
                i = (int) r;
            }
            return n == codes.length ? varargsOf(codes) : varargsOf(java.util.Arrays.copyOf(codes, n));
        }
    }

    private static final class Len extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaString s = LuaArgs.checkString(args, 1, "len");
            int len = s.m_length;
            long posi = posrelat(LuaArgs.optInteger(args, 2, "len", 1), len);
            long posj = posrelat(LuaArgs.optInteger(args, 3, "len", -1), len);
            if (!(1 <= posi && --posi <= len)) {
                throw LuaArgs.argError(2, "len", "initial position out of string");
            }
            if (!(--posj < len)) {
                throw LuaArgs.argError(3, "len", "final position out of string");
            }
            int n = 0;
            while (posi <= posj) {
                long r = decode(s, (int) posi);
                if (r < 0) {
                    // 5.3 returns fail plus the position of the first invalid byte.
                    return varargsOf(NIL, LuaValue.valueOf((int) posi + 1));
                }
                posi = (int) r;
                n++;
            }
            return LuaValue.valueOf(n);
        }
    }

    private static final class Offset extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaString s = LuaArgs.checkString(args, 1, "offset");
            int len = s.m_length;
            long n = LuaArgs.checkInteger(args, 2, "offset");
            long posi = posrelat(LuaArgs.optInteger(args, 3, "offset", n >= 0 ? 1 : len + 1), len);
            if (!(1 <= posi && --posi <= len)) {
                throw LuaArgs.argError(3, "offset", "position out of range");
            }
            if (n == 0) {
                while (posi > 0 && isCont(s, posi)) {
                    posi--;
                }
            } else {
                if (isCont(s, posi)) {
                    throw new LuaError("initial position is a continuation byte");
                }
                if (n < 0) {
                    while (n < 0 && posi > 0) {
                        do {
                            posi--;
                        } while (posi > 0 && isCont(s, posi));
                        n++;
                    }
                } else {
                    n--;
                    while (n > 0 && posi < len) {
                        do {
                            posi++;
                        } while (isCont(s, posi));
                        n--;
                    }
                }
            }
            return n == 0 ? LuaArgs.integer(posi + 1) : NIL;
        }
    }

    private static final class Codes extends VarArgFunction {
        private final Iter iter = new Iter();

        @Override
        public Varargs invoke(Varargs args) {
            LuaString s = LuaArgs.checkString(args, 1, "codes");
            return varargsOf(iter, s, LuaValue.ZERO);
        }
    }

    private static final class Iter extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaString s = LuaArgs.checkString(args, 1, "for iterator");
            int len = s.m_length;
            long n = args.arg(2).tolong() - 1;
            if (n < 0) {
                n = 0;
            } else if (n < len) {
                n++;
                while (isCont(s, n)) {
                    n++;
                }
            }
            if (n >= len) {
                return NONE;
            }
            long r = decode(s, (int) n);
            if (r < 0 || isCont(s, (int) r)) {
                throw new LuaError("invalid UTF-8 code");
            }
            return varargsOf(LuaValue.valueOf((int) n + 1), LuaValue.valueOf((int) (r >>> 32)));
        }
    }
}
