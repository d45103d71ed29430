package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code table.concat} of Lua 5.3: numbers written as 5.3 writes them, {@code __index} and
 * {@code __len} honoured, 64-bit bounds, and 5.3's error for a value that is not a string or number.
 */
final class TableConcat extends VarArgFunction {

    private static final String NAME = "concat";
    private static final LuaString EMPTY = LuaValue.valueOf("");

    @Override
    public Varargs invoke(Varargs args) {
        LuaValue list = args.arg1();
        if (!list.istable()) {
            throw LuaArgs.typeError(args, 1, NAME, "table");
        }
        LuaString sep = LuaArgs.optString(args, 2, NAME, EMPTY);
        long i = LuaArgs.optInteger(args, 3, NAME, 1);
        long last = args.arg(4).isnil() ? LuaArgs.length(list) : LuaArgs.checkInteger(args, 4, NAME);
        ByteSink out = new ByteSink(16);
        for (; i < last; i++) {
            addField(out, list, i);
            out.add(sep);
        }
        if (i == last) {
            addField(out, list, i);
        }
        return out.toLuaString();
    }

    private static void addField(ByteSink out, LuaValue list, long i) {
        LuaValue v = list.get(LuaArgs.integer(i));
        if (!v.isstring()) {
            throw new LuaError("invalid value (" + v.typename() + ") at index " + i + " in table for 'concat'");
        }
        out.add(NumberText.toLuaString(v));
    }
}
