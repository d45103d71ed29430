package io.luagate.spi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AsciiFoldTest {

    @Test
    void onlyAtoZFold() {
        // Byte strings, one char per byte: C9 (É in Latin-1) and the UTF-8 É, C3 89, stay as they are.
        assertEquals("x-\u00c9", AsciiFold.fold("X-\u00c9"));
        assertEquals("x-\u00c3\u0089", AsciiFold.fold("X-\u00c3\u0089"));
        assertEquals("@[`{", AsciiFold.fold("@[`{"));
        String lower = "already-lower-\u00c9";
        assertSame(lower, AsciiFold.fold(lower));
        assertEquals('a', AsciiFold.fold('A'));
        assertEquals('\u00c9', AsciiFold.fold('\u00c9'));
    }

    @Test
    void equalityFoldsAtoZOnly() {
        assertTrue(AsciiFold.equalsIgnoreCase("Content-Length", "content-LENGTH"));
        assertFalse(AsciiFold.equalsIgnoreCase("x-\u00c9", "x-\u00e9"));
        assertFalse(AsciiFold.equalsIgnoreCase("x-a", "x-ab"));
        assertTrue(AsciiFold.regionEquals("aXb", 1, "zxz", 1, 1, true));
        assertFalse(AsciiFold.regionEquals("aXb", 1, "zxz", 1, 1, false));
    }

    @Test
    void containsFoldsAtoZOnly() {
        assertTrue(AsciiFold.containsIgnoreCase("X-Trace-ID", "trace-id"));
        assertTrue(AsciiFold.containsIgnoreCase("abc", ""));
        assertFalse(AsciiFold.containsIgnoreCase("ab", "abc"));
        assertFalse(AsciiFold.containsIgnoreCase("x-\u00c9-y", "\u00e9"));
    }
}
