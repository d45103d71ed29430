package io.luagate.plugin.lua.api;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Argument checks for API functions, worded as Lua 5.3's auxiliary library words them
 * ({@code bad argument #1 to 'set_tos' (number expected, got string)}). LuaJ's own checks omit the
 * function name and truncate {@code 1.5} to an integer where 5.3's {@code luaL_checkinteger},
 * which HAProxy calls, refuses it.
 */
final class ApiArgs {

    private static final double TWO_63 = 0x1p63;

    private ApiArgs() {
    }

    /**
     * HAProxy's {@code check_args}: the exact number of arguments, {@code self} included for
     * methods, else {@code 'name' needs N arguments}.
     */
    static void count(Varargs args, int expected, String function) {
        if (args.narg() != expected) {
            throw new LuaError("'" + function + "' needs " + expected + " arguments");
        }
    }

    /** {@code luaL_checkinteger}: a number or numeric string with an exact 64-bit integer value. */
    static long integer(Varargs args, int arg, String function) {
        LuaValue v = args.arg(arg);
        LuaValue n = v.type() == LuaValue.TNUMBER ? v : v.type() == LuaValue.TSTRING ? v.tonumber() : LuaValue.NIL;
        if (n.isnil()) {
            throw typeError(args, arg, function, "number");
        }
        double d = n.todouble();
        if (!(d >= -TWO_63 && d < TWO_63 && d == Math.floor(d))) {
            throw new LuaError("bad argument #" + arg + " to '" + function + "' (number has no integer representation)");
        }
        return (long) d;
    }

    /** {@code luaL_checklstring}: a string, or a number converted to one. */
    static LuaString string(Varargs args, int arg, String function) {
        LuaValue v = args.arg(arg);
        if (v.isstring()) {
            return v.strvalue();
        }
        throw typeError(args, arg, function, "string");
    }

    static LuaError typeError(Varargs args, int arg, String function, String expected) {
        String got = arg > args.narg() ? "no value" : args.arg(arg).typename();
        return new LuaError("bad argument #" + arg + " to '" + function + "' (" + expected + " expected, got " + got + ")");
    }

    /** An integer result: LuaJ numbers are doubles; small ones use its cached integer values. */
    static LuaValue integerValue(long n) {
        return n == (int) n ? LuaValue.valueOf((int) n) : LuaValue.valueOf((double) n);
    }
}
