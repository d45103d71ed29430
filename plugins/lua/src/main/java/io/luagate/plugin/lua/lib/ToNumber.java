package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code tonumber}: LuaJ's, except that a string is converted by {@link LuaArgs#toNumber}, so that
 * {@code tonumber("0x")} is nil as in Lua 5.3 instead of an ArrayIndexOutOfBoundsException from
 * inside LuaJ 3.0.1's number scanner. With a base, LuaJ's own digit loop is right.
 */
final class ToNumber extends VarArgFunction {

    private final LuaValue luaj;

    ToNumber(LuaValue luaj) {
        this.luaj = luaj;
    }

    @Override
    public Varargs invoke(Varargs args) {
        if (args.narg() == 1 && args.arg1().type() == LuaValue.TSTRING) {
            return LuaArgs.toNumber(args.arg1());
        }
        return luaj.invoke(args);
    }
}
