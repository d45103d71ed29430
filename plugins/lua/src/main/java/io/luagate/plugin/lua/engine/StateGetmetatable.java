package io.luagate.plugin.lua.engine;

import io.luagate.plugin.lua.lib.LuaArgs;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code getmetatable} of one state: for a string, the state's own string metatable (LuaJ's
 * JVM-wide one only dispatches, see {@link StringMetatable}); anything else as LuaJ answers.
 */
final class StateGetmetatable extends VarArgFunction {

    private final LuaState state;
    private final LuaValue original;

    StateGetmetatable(LuaState state, LuaValue original) {
        this.state = state;
        this.original = original;
    }

    @Override
    public Varargs invoke(Varargs args) {
        if (args.narg() < 1) {
            throw LuaArgs.argError(1, "getmetatable", "value expected");
        }
        LuaValue v = args.arg1();
        if (v.type() == TSTRING) {
            LuaValue meta = state.stringMetatable;
            LuaValue guard = meta.rawget(METATABLE);
            return guard.isnil() ? meta : guard;
        }
        return original.call(v);
    }
}
