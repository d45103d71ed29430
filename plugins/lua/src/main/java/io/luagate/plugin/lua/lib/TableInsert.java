package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code table.insert(t, [pos,] v)} of Lua 5.3: exactly two or three arguments (LuaJ takes more
 * and ignores them), the position checked against {@code 1..#t+1}, elements moved through
 * {@code get}/{@code set} and the length read through {@code __len}.
 */
final class TableInsert extends VarArgFunction {

    private static final String NAME = "insert";

    @Override
    public Varargs invoke(Varargs args) {
        LuaValue t = args.arg1();
        if (!t.istable()) {
            throw LuaArgs.typeError(args, 1, NAME, "table");
        }
        long e = LuaArgs.length(t) + 1;
        long pos;
        switch (args.narg()) {
            case 2 -> pos = e;
            case 3 -> {
                pos = LuaArgs.checkInteger(args, 2, NAME);
                if (pos < 1 || pos > e) {
                    throw LuaArgs.argError(2, NAME, "position out of bounds");
                }
                for (long i = e; i > pos; i--) {
                    t.set(LuaArgs.integer(i), t.get(LuaArgs.integer(i - 1)));
                }
            }
            default -> throw new LuaError("wrong number of arguments to 'insert'");
        }
        t.set(LuaArgs.integer(pos), args.arg(args.narg()));
        return NONE;
    }
}
