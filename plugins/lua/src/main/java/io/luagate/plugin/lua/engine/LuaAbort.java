package io.luagate.plugin.lua.engine;

/**
 * Ends a Lua call that went over a limit (run time, memory) or whose stream went away. An
 * {@link Error}, not a LuaError: {@code pcall} and {@code xpcall} catch only the latter, so a
 * runaway script cannot catch its own end.
 */
public final class LuaAbort extends Error {

    public LuaAbort(String reason) {
        super(reason, null, false, false);
    }
}
