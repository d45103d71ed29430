package io.luagate.plugin.lua.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

class ValuesTest {

    private static byte[] bytes(LuaValue value) {
        return Values.bytes(value);
    }

    @Test
    void everyByteCrossesBothWaysUnchanged() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        String text = Values.text(LuaString.valueOf(all));
        assertEquals(256, text.length());
        assertEquals('\u00ff', text.charAt(255));
        assertArrayEquals(all, bytes(Values.lua(text)));
        assertArrayEquals(all, bytes(Values.toLua(text)));
        assertEquals(text, Values.toSample(LuaString.valueOf(all)));
    }

    @Test
    void textIsOneBytePerChar() {
        assertArrayEquals(new byte[] {'a', (byte) 0xE9, (byte) 0x80}, bytes(Values.lua("a\u00e9\u0080")));
        // No wire text has a char above 0xFF; one from elsewhere keeps its UTF-8 rather than turning into '?'.
        assertArrayEquals(new byte[] {'x', (byte) 0xE2, (byte) 0x82, (byte) 0xAC, (byte) 0xE9},
                bytes(Values.lua("x\u20ac\u00e9")));
    }

    @Test
    void samplesAsLuaValues() throws Exception {
        assertEquals(LuaValue.NIL, Values.toLua(null));
        assertEquals(12.0, Values.toLua(12L).todouble());
        assertEquals(1, Values.toLua(Boolean.TRUE).toint());
        assertArrayEquals(new byte[] {0, (byte) 0xFF}, bytes(Values.toLua(new byte[] {0, (byte) 0xFF})));
        assertEquals("::1", Values.toLua(InetAddress.getByName("::1")).tojstring());
        assertEquals("10.0.0.1", Values.toLua(InetAddress.getByName("10.0.0.1")).tojstring());
    }

    /** hlua_lua2smp: numbers by lua_tointeger, strings stay strings, booleans are booleans, the rest false. */
    @Test
    void luaValuesAsSamples() {
        assertEquals(7L, Values.toSample(LuaValue.valueOf(7.0)));
        assertEquals(-3L, Values.toSample(LuaValue.valueOf(-3)));
        assertEquals(0L, Values.toSample(LuaValue.valueOf(2.5)));
        assertEquals(0L, Values.toSample(LuaValue.valueOf(-0.5)));
        assertEquals(0L, Values.toSample(LuaValue.valueOf(0x1p63)));
        assertEquals(Long.MIN_VALUE, Values.toSample(LuaValue.valueOf(-0x1p63)));
        assertEquals(0L, Values.toSample(LuaValue.valueOf(Double.NaN)));
        assertEquals("12", Values.toSample(LuaValue.valueOf("12")));
        assertEquals(Boolean.TRUE, Values.toSample(LuaValue.TRUE));
        assertEquals(Boolean.FALSE, Values.toSample(LuaValue.NIL));
        assertEquals(Boolean.FALSE, Values.toSample(new org.luaj.vm2.LuaTable()));
    }

    @Test
    void textOfArgumentsAcceptsNumbersAsLuaDoes() {
        assertEquals("5", Values.text(LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(5)), 2));
        assertEquals("fallback", Values.optText(LuaValue.varargsOf(new LuaValue[] {LuaValue.NIL}), 2, "fallback"));
        assertEquals("nil", Values.anyText(LuaValue.NIL));
        assertEquals("\u00ff", Values.anyText(LuaString.valueOf(new byte[] {(byte) 0xFF})));
        assertEquals("h\u00e9", Values.display(LuaValue.valueOf("h\u00e9")));
    }
}
