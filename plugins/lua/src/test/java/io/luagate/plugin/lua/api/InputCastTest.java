package io.luagate.plugin.lua.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.luagate.spi.sample.SampleType;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaError;

class InputCastTest {

    @Test
    void addressInputsTakeAddressTextAndIntegers() {
        assertDoesNotThrow(() -> InputCast.check("10.1.2.3", SampleType.ADDR));
        assertDoesNotThrow(() -> InputCast.check("2001:db8::1", SampleType.ADDR));
        assertDoesNotThrow(() -> InputCast.check(167837953L, SampleType.ADDR));
        assertEquals("error during the input argument casting",
                assertThrows(LuaError.class, () -> InputCast.check("not-an-ip", SampleType.ADDR)).getMessage());
        assertEquals("error during the input argument casting",
                assertThrows(LuaError.class, () -> InputCast.check("::1", SampleType.IPV4)).getMessage());
    }

    @Test
    void aBooleanHasNoAddress() {
        assertEquals("invalid input argument: cannot cast 'bool' to 'addr'",
                assertThrows(LuaError.class, () -> InputCast.check(Boolean.FALSE, SampleType.ADDR)).getMessage());
    }

    @Test
    void anEmptyStringHasNoInteger() {
        assertThrows(LuaError.class, () -> InputCast.check("", SampleType.SINT));
        assertThrows(LuaError.class, () -> InputCast.check("", SampleType.BOOL));
        assertDoesNotThrow(() -> InputCast.check("x", SampleType.SINT));
        assertDoesNotThrow(() -> InputCast.check("", SampleType.STR));
        assertDoesNotThrow(() -> InputCast.check(Boolean.TRUE, SampleType.BIN));
    }
}
