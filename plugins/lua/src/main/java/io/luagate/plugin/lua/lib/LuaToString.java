package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Lua 5.3's {@code tostring} (luaL_tolstring): {@code __tostring} first, numbers as 5.3 writes
 * them ({@link NumberText}), then LuaJ's text for the other types. {@code print} calls the
 * global {@code tostring}, so it follows.
 */
public final class LuaToString extends VarArgFunction {

    @Override
    public Varargs invoke(Varargs args) {
        if (args.narg() < 1) {
            throw LuaArgs.argError(1, "tostring", "value expected");
        }
        return tolstring(args.arg1());
    }

    /** luaL_tolstring, as {@code tostring} and {@code string.format("%s")} use it. */
    public static LuaString tolstring(LuaValue v) {
        LuaValue h = v.metatag(TOSTRING);
        if (!h.isnil()) {
            LuaValue r = h.call(v);
            if (!r.isstring()) {
                throw new LuaError("'__tostring' must return a string");
            }
            return NumberText.toLuaString(r);
        }
        return switch (v.type()) {
            case TNUMBER -> NumberText.toLuaString(v);
            case TSTRING -> v.strvalue();
            default -> LuaValue.valueOf(v.tojstring());
        };
    }
}
