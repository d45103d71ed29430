package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The integer helpers Lua 5.3 added to {@code math}. LuaJ has no integer subtype: every number is
 * a double. So "integer" here means "a double with an exact 64-bit integer value": {@code 3.0}
 * reports "integer" (5.3 says "float"), and integers beyond 2^53 are only those a double can hold.
 */
final class Lua53Math {

    /**
     * 2^63-1 has no double; the nearest double, 2^63, is outside the 64-bit range, so
     * {@code math.tointeger} and {@code %d} would refuse it. The largest double below 2^63
     * (2^63-1024) keeps {@code math.type(math.maxinteger) == "integer"} and works as a sentinel.
     */
    static final double MAX_INTEGER = Math.nextDown(0x1p63);
    /** -2^63 is exact as a double. */
    static final double MIN_INTEGER = -0x1p63;

    private Lua53Math() {
    }

    static void install(LuaTable math) {
        math.set("type", new Type());
        math.set("tointeger", new ToInteger());
        math.set("ult", new Ult());
        math.set("log", new Log());
        math.set("maxinteger", LuaValue.valueOf(MAX_INTEGER));
        math.set("mininteger", LuaValue.valueOf(MIN_INTEGER));
    }

    private static final class Type extends VarArgFunction {
        private static final LuaValue INTEGER = LuaValue.valueOf("integer");
        private static final LuaValue FLOAT = LuaValue.valueOf("float");

        @Override
        public Varargs invoke(Varargs args) {
            if (args.narg() < 1) {
                throw LuaArgs.argError(1, "type", "value expected");
            }
            LuaValue v = args.arg1();
            if (v.type() != LuaValue.TNUMBER) {
                return NIL;
            }
            return LuaArgs.fitsLong(v.todouble()) ? INTEGER : FLOAT;
        }
    }

    /** {@code math.log(x [, base])}: LuaJ 3.0.1 ignores the base (5.1's one-argument log). */
    private static final class Log extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            double x = LuaArgs.checkNumber(args, 1, "log");
            if (args.isnoneornil(2)) {
                return valueOf(Math.log(x));
            }
            double base = LuaArgs.checkNumber(args, 2, "log");
            // As lmathlib.c: the exact functions for the common bases, so log(1000, 10) is 3.
            if (base == 2.0) {
                return valueOf(log2(x));
            }
            if (base == 10.0) {
                return valueOf(Math.log10(x));
            }
            return valueOf(Math.log(x) / Math.log(base));
        }
    }

    /** C's log2 is exact on powers of two, where log(x)/log(2) may miss by an ulp. */
    private static double log2(double x) {
        if (x > 0 && x != Double.POSITIVE_INFINITY && x == Math.scalb(1.0, Math.getExponent(x))) {
            return Math.getExponent(x);
        }
        return Math.log(x) / Math.log(2.0);
    }

    private static final class ToInteger extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            if (args.narg() < 1) {
                throw LuaArgs.argError(1, "tointeger", "value expected");
            }
            LuaValue v = args.arg1();
            // 5.3 (unlike 5.4) converts numeric strings here too.
            if (!LuaArgs.isInteger(v)) {
                return NIL;
            }
            return LuaArgs.integer((long) LuaArgs.toNumber(v).todouble());
        }
    }

    private static final class Ult extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            long m = LuaArgs.checkInteger(args, 1, "ult");
            long n = LuaArgs.checkInteger(args, 2, "ult");
            return LuaValue.valueOf(Long.compareUnsigned(m, n) < 0);
        }
    }
}
