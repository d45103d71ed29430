package io.luagate.plugin.lua.engine;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * LuaJ keeps one string metatable for the whole JVM ({@code LuaString.s_metatable}); in HAProxy each
 * Lua state is its own VM with its own. This is the one LuaJ sees: every read goes to the
 * metatable of the state running on this thread ({@link LuaState#stringMetatable}, a plain
 * {@code {__index = string}} that its scripts may change as in Lua), and nothing can be written to
 * it. So a state that replaces {@code getmetatable("").__index} changes its own strings only: it
 * cannot read the strings another state handles, nor break or hang another state's string methods.
 * Scripts never hold this object: the state's {@code getmetatable} returns the state's own table.
 */
final class StringMetatable extends LuaTable {

    private static final StringMetatable DISPATCH = new StringMetatable();

    private StringMetatable() {
    }

    /** Puts the dispatcher in place; idempotent, done before each state is built. */
    static void install() {
        LuaString.s_metatable = DISPATCH;
    }

    /** A state's own string metatable, as Lua 5.3 makes it. */
    static LuaTable create(LuaTable string) {
        LuaTable meta = new LuaTable();
        meta.rawset(INDEX, string);
        return meta;
    }

    @Override
    public LuaValue rawget(LuaValue key) {
        LuaState state = LuaState.CURRENT.get();
        // No state runs here (Java code outside a Lua call), or it is still being built: no methods.
        return state == null || state.stringMetatable == null ? NIL : state.stringMetatable.rawget(key);
    }

    @Override
    public LuaValue rawget(int key) {
        return rawget(LuaValue.valueOf(key));
    }

    @Override
    public void rawset(LuaValue key, LuaValue value) {
        throw new LuaError("the string metatable is per state: change getmetatable(\"\") instead");
    }

    @Override
    public void rawset(int key, LuaValue value) {
        rawset(LuaValue.valueOf(key), value);
    }
}
