package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code table.move(a1, f, e, t [, a2])} of Lua 5.3 (absent from LuaJ). Elements go through
 * {@code get}/{@code set}, so {@code __index} and {@code __newindex} are honoured as in 5.3.
 */
final class TableMove extends VarArgFunction {

    private static final String NAME = "move";

    @Override
    public Varargs invoke(Varargs args) {
        long f = LuaArgs.checkInteger(args, 2, NAME);
        long e = LuaArgs.checkInteger(args, 3, NAME);
        long t = LuaArgs.checkInteger(args, 4, NAME);
        int tt = args.arg(5).isnil() ? 1 : 5;
        LuaValue a1 = checkTable(args, 1);
        LuaValue a2 = checkTable(args, tt);
        if (e >= f) {
            if (!(f > 0 || e < Long.MAX_VALUE + f)) {
                throw LuaArgs.argError(3, NAME, "too many elements to move");
            }
            long n = e - f + 1;
            if (t > Long.MAX_VALUE - n + 1) {
                throw LuaArgs.argError(4, NAME, "destination wrap around");
            }
            // Overlapping ranges in one table are copied from the end, as 5.3 does.
            if (t > e || t <= f || (tt != 1 && !a1.eq_b(a2))) {
                for (long i = 0; i < n; i++) {
                    a2.set(LuaArgs.integer(t + i), a1.get(LuaArgs.integer(f + i)));
                }
            } else {
                for (long i = n - 1; i >= 0; i--) {
                    a2.set(LuaArgs.integer(t + i), a1.get(LuaArgs.integer(f + i)));
                }
            }
        }
        return a2;
    }

    /** 5.3's checktab: a table, or anything whose metatable supplies the needed metamethods. */
    private static LuaValue checkTable(Varargs args, int arg) {
        LuaValue v = args.arg(arg);
        if (v.istable()) {
            return v;
        }
        LuaValue mt = v.getmetatable();
        if (mt != null && !mt.isnil() && !mt.rawget(LuaValue.INDEX).isnil() && !mt.rawget(LuaValue.NEWINDEX).isnil()) {
            return v;
        }
        throw LuaArgs.typeError(args, arg, NAME, "table");
    }
}
