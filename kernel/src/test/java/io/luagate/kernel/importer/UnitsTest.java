package io.luagate.kernel.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** HAProxy durations and sizes as luagate reads them. */
class UnitsTest {

    @Test
    void durationsDefaultToMilliseconds() {
        assertEquals("100ms", Units.duration("100"));
        assertEquals("10s", Units.duration("10s"));
        assertEquals("1m", Units.duration("1m"));
        assertEquals("2h", Units.duration("2h"));
        assertEquals("1d", Units.duration("1d"));
        assertEquals("3ms", Units.duration("2500us"));
        assertNull(Units.duration("10x"));
        assertNull(Units.duration("s"));
    }

    @Test
    void sizesArePowersOf1024() {
        assertEquals(16384, Units.size("16k"));
        assertEquals(1 << 20, Units.size("1m"));
        assertEquals(2L << 30, Units.size("2g"));
        assertEquals(100, Units.size("100"));
        assertEquals(-1, Units.size("1t"));
    }
}
