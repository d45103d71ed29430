package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaValue;

/**
 * What {@code error} needs from the engine running it to raise as Lua 5.3 does: the position of a
 * stack level for the message, and a way to hand the value raised to the message handler that
 * will see it ({@code xpcall}'s, or the engine's recorder), since LuaJ passes handlers only its
 * own text of an error ({@code "@file:line message"}, or {@code "table: 0x..."} for a table).
 */
public interface ErrorSite {

    /** No engine: {@code error} adds no position of its own and hands nothing over. */
    ErrorSite NONE = new ErrorSite() {
        @Override
        public String where(int level) {
            return null;
        }

        @Override
        public void raising(LuaValue value) {
        }
    };

    /**
     * {@code file:line:} of the function {@code level} steps out (1: the function that called
     * {@code error}), or null when that level is not a Lua function (a Java function such as
     * {@code pcall}, or beyond the stack): Lua 5.3 adds no position then.
     */
    String where(int level);

    /** {@code value} is about to be raised as an error. */
    void raising(LuaValue value);
}
