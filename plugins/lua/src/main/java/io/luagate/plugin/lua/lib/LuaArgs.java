package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Argument checks that word their errors as Lua 5.3's auxiliary library does
 * ({@code bad argument #2 to 'format' (number expected, got nil)}); LuaJ's own checks say
 * {@code bad argument: ...} without the position's function name, which scripts and tests
 * written against HAProxy's Lua match on. Used by the library and by the HAProxy API alike.
 */
public final class LuaArgs {

    /** 2^63: the first double above the 64-bit integer range. */
    private static final double TWO_63 = 0x1p63;

    private LuaArgs() {
    }

    /**
     * A Lua value as Java text: a string's bytes decoded as UTF-8, malformed sequences replaced.
     * LuaJ 3.0.1's own {@code tojstring()} / {@code checkjstring()} read past the end of a string
     * that ends inside a multi-byte sequence ({@code "\xe9"}) and throw ArrayIndexOutOfBounds.
     */
    public static String jstring(LuaValue v) {
        if (v instanceof LuaString s) {
            return new String(s.m_bytes, s.m_offset, s.m_length, java.nio.charset.StandardCharsets.UTF_8);
        }
        return v.tojstring();
    }

    /** {@link #jstring} of argument {@code arg}, a string or a number (else LuaJ's argument error). */
    public static String checkJstring(Varargs args, int arg) {
        return jstring(args.checkstring(arg));
    }

    /** {@link #checkJstring}, or {@code def} when the argument is none or nil. */
    public static String optJstring(Varargs args, int arg, String def) {
        return args.isnil(arg) ? def : checkJstring(args, arg);
    }

    public static LuaError argError(int arg, String fname, String msg) {
        return new LuaError("bad argument #" + arg + " to '" + fname + "' (" + msg + ")");
    }

    public static LuaError typeError(Varargs args, int arg, String fname, String expected) {
        String got = arg > args.narg() ? "no value" : args.arg(arg).typename();
        return argError(arg, fname, expected + " expected, got " + got);
    }

    /** Numbers are accepted too and converted as Lua 5.3 writes them, as luaL_checklstring does. */
    public static LuaString checkString(Varargs args, int arg, String fname) {
        LuaValue v = args.arg(arg);
        if (v.isstring()) {
            return NumberText.toLuaString(v);
        }
        throw typeError(args, arg, fname, "string");
    }

    public static LuaString optString(Varargs args, int arg, String fname, LuaString def) {
        return args.arg(arg).isnil() ? def : checkString(args, arg, fname);
    }

    /**
     * {@code v} as a number, or nil. LuaJ 3.0.1's own conversion reads past the end of a string
     * that is only a hex prefix ({@code "0x"}, {@code " 0X "}) and throws
     * ArrayIndexOutOfBoundsException (or, inside a longer buffer, reads the next byte as a digit);
     * Lua 5.3 finds no number there, and neither does this. Every hexadecimal numeral is read as
     * 5.3 reads it ({@link HexNumeral}).
     */
    public static LuaValue toNumber(LuaValue v) {
        if (v.type() != LuaValue.TSTRING) {
            return v.tonumber();
        }
        LuaValue hex = HexNumeral.parse(v.strvalue());
        return hex != null ? hex : v.tonumber();
    }

    /**
     * Refuses, as a non-numeric string, the one string LuaJ's {@code checkint}/{@code checklong}
     * cannot convert without failing inside the VM (see {@link #toNumber}); call it before them.
     */
    public static void guardNumber(Varargs args, int arg, String fname) {
        LuaValue v = args.arg(arg);
        if (v.type() == LuaValue.TSTRING && isBareHexPrefix(v.strvalue())) {
            throw typeError(args, arg, fname, "number");
        }
    }

    private static boolean isBareHexPrefix(LuaString s) {
        int i = 0;
        int j = s.length();
        while (i < j && s.luaByte(i) == ' ') {
            i++;
        }
        while (j > i && s.luaByte(j - 1) == ' ') {
            j--;
        }
        return j - i == 2 && s.luaByte(i) == '0' && (s.luaByte(i + 1) | 0x20) == 'x';
    }

    public static double checkNumber(Varargs args, int arg, String fname) {
        LuaValue v = args.arg(arg);
        if (v.type() == LuaValue.TNUMBER) {
            return v.todouble();
        }
        if (v.type() == LuaValue.TSTRING) {
            LuaValue n = toNumber(v);
            if (!n.isnil()) {
                return n.todouble();
            }
        }
        throw typeError(args, arg, fname, "number");
    }

    public static long checkInteger(Varargs args, int arg, String fname) {
        double d = checkNumber(args, arg, fname);
        if (!fitsLong(d)) {
            throw argError(arg, fname, "number has no integer representation");
        }
        return (long) d;
    }

    public static long optInteger(Varargs args, int arg, String fname, long def) {
        return args.arg(arg).isnil() ? def : checkInteger(args, arg, fname);
    }

    /** Lua 5.3's lua_tointegerx: numbers and numeric strings with an exact 64-bit value. */
    public static boolean isInteger(LuaValue v) {
        if (v.type() == LuaValue.TNUMBER) {
            return fitsLong(v.todouble());
        }
        if (v.type() == LuaValue.TSTRING) {
            LuaValue n = toNumber(v);
            return !n.isnil() && fitsLong(n.todouble());
        }
        return false;
    }

    /** {@code #t} as Lua 5.3's {@code luaL_len} takes it: through {@code __len}, and an integer. */
    public static long length(LuaValue t) {
        LuaValue n = t.len();
        if (!isInteger(n)) {
            throw new LuaError("object length is not an integer");
        }
        return (long) toNumber(n).todouble();
    }

    /** True when the double has an exact 64-bit integer value (what 5.3 calls an integer representation). */
    public static boolean fitsLong(double d) {
        return d >= -TWO_63 && d < TWO_63 && d == Math.floor(d);
    }

    /**
     * LuaJ has one number type (double) and caches small integral values; every integer result
     * goes through here so that values beyond 32 bits stay numbers and not strings or truncations.
     */
    public static LuaValue integer(long n) {
        return n == (int) n ? LuaValue.valueOf((int) n) : LuaValue.valueOf((double) n);
    }
}
