package io.luagate.plugin.lua.api;

import io.luagate.spi.sample.IpText;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/** HAProxy's conversions between samples and Lua values (haproxy-lua-api.md §0). */
public final class Values {

    private Values() {
    }

    /** A sample as Lua sees it: integers and booleans as numbers (booleans as 0/1, as in HAProxy 2.6), bytes as strings. */
    public static LuaValue toLua(Object sample) {
        return switch (sample) {
            case null -> LuaValue.NIL;
            case String s -> LuaValue.valueOf(s);
            case Long l -> LuaValue.valueOf((double) l);
            case Integer i -> LuaValue.valueOf(i);
            case Boolean b -> LuaValue.valueOf(b ? 1 : 0);
            case byte[] bytes -> LuaValue.valueOf(bytes);
            case InetAddress address -> LuaValue.valueOf(IpText.format(address.getAddress()));
            default -> LuaValue.valueOf(sample.toString());
        };
    }

    /** A Lua value as a sample: numbers as integers, strings as strings, anything else as boolean false. */
    public static Object toSample(LuaValue value) {
        return switch (value.type()) {
            case LuaValue.TNUMBER -> (long) value.todouble();
            case LuaValue.TSTRING -> string(value);
            case LuaValue.TBOOLEAN -> value.toboolean();
            default -> Boolean.FALSE;
        };
    }

    /** A Lua string as Java text, byte for byte (Latin-1 would mangle nothing; UTF-8 is what headers carry). */
    public static String string(LuaValue value) {
        LuaString s = value.checkstring();
        return new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.UTF_8);
    }

    public static byte[] bytes(LuaValue value) {
        LuaString s = value.checkstring();
        byte[] out = new byte[s.m_length];
        System.arraycopy(s.m_bytes, s.m_offset, out, 0, s.m_length);
        return out;
    }
}
