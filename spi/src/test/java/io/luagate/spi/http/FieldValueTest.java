package io.luagate.spi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FieldValueTest {

    @Test
    void htabAndTextPassControlBytesDoNot() {
        assertEquals(-1, FieldValue.controlByte("a\tb c\u00e9"));
        assertEquals(1, FieldValue.controlByte("a\nb"));
        assertEquals(2, FieldValue.controlByte("ab\u0000"));
        assertEquals(0, FieldValue.controlByte("\u007f"));
    }

    @Test
    void controlBytesAreShownEscaped() {
        assertEquals("a\\x0Ab\\x00\\x09c", FieldValue.visible("a\nb\u0000\tc"));
        assertEquals("plain", FieldValue.visible("plain"));
    }
}
