package io.luagate.spi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HttpTokenTest {

    @Test
    void tcharsAreRfc9110s() {
        for (int c = 0; c < 512; c++) {
            boolean expected = c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
            assertEquals(expected, HttpToken.isTokenChar(c), "char " + c);
        }
        // A byte above 0x7F, widened with its sign, is no tchar either.
        assertFalse(HttpToken.isTokenChar((byte) 0xE9));
    }

    @Test
    void aTokenIsNotEmptyAndAllTchars() {
        assertTrue(HttpToken.isToken("X-Forwarded-For"));
        assertTrue(HttpToken.isToken("!#$%&'*+-.^_`|~09azAZ"));
        assertFalse(HttpToken.isToken(""));
        assertFalse(HttpToken.isToken("X Y"));
        assertFalse(HttpToken.isToken("X-\u00c9"));
        assertFalse(HttpToken.isToken("X-\u00c3\u0089"));
        assertFalse(HttpToken.isToken("x:y"));
    }
}
