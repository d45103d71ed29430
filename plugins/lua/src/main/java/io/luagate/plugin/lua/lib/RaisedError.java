package io.luagate.plugin.lua.lib;

import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/**
 * An error whose object is a Lua value, as {@code lua_error} raises it: {@code pcall} gets the
 * value itself. LuaJ's {@code new LuaError(value)} does the same but first decodes a string
 * value with its UTF-8 decoder, which throws on a string ending inside a multi-byte sequence.
 */
final class RaisedError extends LuaError {

    private final transient LuaValue value;

    RaisedError(LuaValue value) {
        super(value instanceof LuaString s
                ? new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.UTF_8) : value.tojstring());
        this.value = value;
    }

    @Override
    public LuaValue getMessageObject() {
        return value;
    }
}
