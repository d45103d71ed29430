package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code table.remove(t [, pos])} of Lua 5.3: always one result ({@code t[pos]}, nil for an empty
 * table, where LuaJ returns none), a given position checked against {@code 1..#t+1}, elements
 * moved through {@code get}/{@code set} and the length read through {@code __len}, as 5.3 does.
 */
final class TableRemove extends VarArgFunction {

    private static final String NAME = "remove";

    @Override
    public Varargs invoke(Varargs args) {
        LuaValue t = args.arg1();
        if (!t.istable()) {
            throw LuaArgs.typeError(args, 1, NAME, "table");
        }
        long size = LuaArgs.length(t);
        long pos = LuaArgs.optInteger(args, 2, NAME, size);
        if (pos != size && (pos < 1 || pos > size + 1)) {
            throw LuaArgs.argError(1, NAME, "position out of bounds");
        }
        LuaValue result = t.get(LuaArgs.integer(pos));
        for (; pos < size; pos++) {
            t.set(LuaArgs.integer(pos), t.get(LuaArgs.integer(pos + 1)));
        }
        t.set(LuaArgs.integer(pos), LuaValue.NIL);
        return result;
    }
}
