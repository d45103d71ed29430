package io.luagate.plugin.lua.api;

import io.luagate.spi.sample.IpText;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The one mapping between Lua values and luagate's values (haproxy-lua-api.md §0). HAProxy hands
 * Lua the bytes it holds and takes Lua's bytes back ({@code lua_pushlstring}, {@code lua_tolstring});
 * luagate's text that carries such bytes (HTTP head text as the codec decodes it, str samples,
 * map entries) holds one byte per {@code char} (ISO-8859-1). So a Lua string is that text byte for
 * byte, both ways, and a {@code byte[]} stays its bytes. LuaJ's own {@code valueOf(String)} and
 * {@code tojstring()} use UTF-8 and would turn each byte above 0x7F into two, or into {@code ?}:
 * every crossing goes through here instead.
 */
public final class Values {

    /** 2^63: the first double beyond the 64-bit integers. */
    private static final double TWO_63 = 0x1p63;

    private Values() {
    }

    /** A sample as Lua sees it: integers and booleans as numbers (booleans as 0/1, as in HAProxy 2.6), str and bin as strings. */
    public static LuaValue toLua(Object sample) {
        return switch (sample) {
            case null -> LuaValue.NIL;
            case String s -> lua(s);
            case Long l -> LuaValue.valueOf((double) l);
            case Integer i -> LuaValue.valueOf(i);
            case Boolean b -> LuaValue.valueOf(b ? 1 : 0);
            case byte[] bytes -> LuaValue.valueOf(bytes);
            case InetAddress address -> LuaValue.valueOf(IpText.format(address.getAddress()));
            default -> lua(sample.toString());
        };
    }

    /**
     * A Lua value as a sample, as HAProxy's {@code hlua_lua2smp}: a number is an integer by
     * {@code lua_tointeger} (an exact integer passes, any other number is 0), a string stays str
     * (even when it looks like a number), a boolean is bool, anything else bool false.
     */
    public static Object toSample(LuaValue value) {
        return switch (value.type()) {
            case LuaValue.TNUMBER -> toInteger(value.todouble());
            case LuaValue.TSTRING -> text(value);
            case LuaValue.TBOOLEAN -> value.toboolean();
            default -> Boolean.FALSE;
        };
    }

    /** Lua 5.3's {@code lua_tointeger} of a number: its value when it is an exact 64-bit integer, else 0. */
    public static long toInteger(double number) {
        return number == Math.floor(number) && number >= -TWO_63 && number < TWO_63 ? (long) number : 0;
    }

    /**
     * Text that carries bytes (HTTP head text, str samples, map entries, a configuration's words,
     * which hold the file's UTF-8 bytes) as a Lua string: each
     * {@code char} up to 0xFF is one byte. A {@code char} above (no such text has one; Java's
     * own messages may) is written in UTF-8 rather than lost.
     */
    public static LuaString lua(String text) {
        int n = text.length();
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c > 0xFF) {
                return wide(text);
            }
            bytes[i] = (byte) c;
        }
        return LuaString.valueUsing(bytes);
    }

    /** {@link #lua}, with {@code nil} for {@code null}. */
    public static LuaValue luaOrNil(String text) {
        return text == null ? LuaValue.NIL : lua(text);
    }

    private static LuaString wide(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0xFF) {
                out.append(c);
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < text.length() ? i + 2 : i + 1;
                for (byte b : text.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    out.append((char) (b & 0xFF));
                }
                i = end - 1;
            }
        }
        return lua(out.toString());
    }

    /** A Lua string (or number, as {@code lua_tolstring} converts it) as text, one {@code char} per byte. */
    public static String text(LuaValue value) {
        LuaString s = value.checkstring();
        return new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.ISO_8859_1);
    }

    /** {@link #text} of argument {@code index} (a string or a number, else Lua's argument error). */
    public static String text(Varargs args, int index) {
        return text(args.checkstring(index));
    }

    /** {@link #text} of argument {@code index}, or {@code fallback} when it is none or nil. */
    public static String optText(Varargs args, int index, String fallback) {
        return args.isnil(index) ? fallback : text(args, index);
    }

    /** Any value as text by Lua's {@code tostring} ({@code nil} is "nil"), byte for byte. */
    public static String anyText(LuaValue value) {
        return value.isstring() ? text(value) : value.tojstring();
    }

    /**
     * A Lua string for a human to read (log lines, error messages): decoded as UTF-8, as a
     * terminal or a log viewer shows the bytes HAProxy writes there.
     */
    public static String display(LuaValue value) {
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
