package io.luagate.plugin.lua.engine;

import io.luagate.plugin.lua.lib.ErrorSite;
import org.luaj.vm2.LuaValue;

/**
 * One state's errors on their way from {@code error} to the message handler. LuaJ calls the
 * handler ({@code xpcall}'s, or the engine's recorder) from the innermost Lua function, with
 * its own text of the error; Lua 5.3 hands it the value raised (a table stays a table, a message
 * keeps the position {@code error} chose). So {@code error} leaves the value here and the
 * handler takes it, when it is called at the same place; anything else (a VM error, a stale
 * value) gets LuaJ's text in Lua 5.3's words ({@link ErrorText}).
 */
final class RaisedErrors implements ErrorSite {

    private final LuaHook hook;
    private LuaValue value;
    private CallFrames frames;
    private int depth;

    RaisedErrors(LuaHook hook) {
        this.hook = hook;
    }

    @Override
    public String where(int level) {
        return hook.frames.where(level);
    }

    @Override
    public void raising(LuaValue raised) {
        CallFrames f = hook.frames;
        // Called straight from a Java function (pcall(error, x)), no Lua function runs the hook.
        value = f.inLua() ? raised : null;
        frames = f;
        depth = f.depth();
    }

    /** The value a handler gets for LuaJ's {@code text} of the error being raised now. */
    LuaValue forHandler(LuaValue text) {
        LuaValue raised = value;
        value = null;
        CallFrames f = hook.frames;
        return raised != null && f == frames && f.depth() == depth ? raised : ErrorText.of(text, f);
    }
}
