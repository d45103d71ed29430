package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code error(v [, level])} as Lua 5.3 raises a number: the value itself, without a position
 * ({@code pcall(error, 42)} gives the integer 42). LuaJ counts numbers as strings there and turns
 * them into {@code "file:line: 42"}; every other value goes to LuaJ's own {@code error}.
 */
final class ErrorFunction extends VarArgFunction {

    private final LuaValue luaj;

    ErrorFunction(LuaValue luaj) {
        this.luaj = luaj;
    }

    @Override
    public Varargs invoke(Varargs args) {
        if (args.arg1().type() == LuaValue.TNUMBER) {
            throw new LuaError(args.arg1());
        }
        return luaj.invoke(args);
    }
}
