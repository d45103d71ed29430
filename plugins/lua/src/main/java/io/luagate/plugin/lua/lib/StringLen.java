package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/** {@code string.len}, so that a number argument is measured in Lua 5.3's text ({@code #"0.33333333333333"}). */
final class StringLen extends VarArgFunction {

    @Override
    public Varargs invoke(Varargs args) {
        return LuaValue.valueOf(LuaArgs.checkString(args, 1, "len").m_length);
    }
}
