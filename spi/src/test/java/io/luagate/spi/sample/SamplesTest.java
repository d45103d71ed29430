package io.luagate.spi.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cast matrix, rule by rule (the kernel's converter and pattern tests check it against HAProxy). */
class SamplesTest {

    private static final byte[] LOOPBACK6 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    static InetAddress v4(int a, int b, int c, int d) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    }

    static InetAddress v6(byte[] bytes) throws UnknownHostException {
        return Inet6Address.getByAddress(null, bytes, -1);
    }

    @Test
    void toStr() throws UnknownHostException {
        assertEquals("abc", Samples.asString("abc"));
        assertEquals("-12", Samples.asString(-12L));
        assertEquals("1", Samples.asString(true));
        assertEquals("0", Samples.asString(false));
        assertEquals("ab", Samples.asString(new byte[] {'a', 'b', 0, 'c'}));
        assertEquals("", Samples.asString(new byte[] {0, 'c'}));
        assertEquals("10.0.0.1", Samples.asString(v4(10, 0, 0, 1)));
        assertEquals("::1", Samples.asString(v6(LOOPBACK6)));
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 1, 2, 3, 4};
        assertEquals("::ffff:1.2.3.4", Samples.asString(v6(mapped)));
        assertNull(Samples.asString(null));
        assertNull(Samples.asString(new Object()));
    }

    @ParameterizedTest
    @CsvSource({"12, 12", "12abc, 12", "abc, 0", "-, 0", "+7, 7", "-7x, -7", "' 7', 0",
        "99999999999999999999, 9223372036854775807", "-99999999999999999999, -9223372036854775808",
        "18446744073709551615, 9223372036854775807", "-9223372036854775808, -9223372036854775808"})
    void stringToLong(String text, long expected) {
        assertTrue(Samples.hasLong(text));
        assertEquals(expected, Samples.longValue(text));
        assertEquals(expected, Samples.asLong(text));
    }

    @Test
    void otherToLong() throws UnknownHostException {
        assertEquals(5L, Samples.asLong(5L));
        assertEquals(1L, Samples.asLong(true));
        assertEquals(0L, Samples.asLong(false));
        assertEquals(0x0A000001L, Samples.asLong(v4(10, 0, 0, 1)));
        assertEquals(0xFFFFFFFFL, Samples.asLong(v4(255, 255, 255, 255)));
        assertFalse(Samples.hasLong(""));
        assertNull(Samples.asLong(""));
        assertNull(Samples.asLong(new byte[] {'1'}));
        assertNull(Samples.asLong(v6(LOOPBACK6)));
        assertNull(Samples.asLong(null));
        assertEquals(0, Samples.longValue(new byte[] {'1'}));
    }

    @Test
    void toBoolean() throws UnknownHostException {
        assertEquals(true, Samples.asBoolean(true));
        assertEquals(true, Samples.asBoolean(-2L));
        assertEquals(false, Samples.asBoolean(0L));
        assertEquals(true, Samples.asBoolean("2x"));
        assertEquals(false, Samples.asBoolean("abc"));
        assertNull(Samples.asBoolean(""));
        assertNull(Samples.asBoolean(v4(10, 0, 0, 1)));
        assertNull(Samples.asBoolean(new byte[] {1}));
    }

    @Test
    void toBytes() throws UnknownHostException {
        byte[] bin = {1, 2};
        assertSame(bin, Samples.asBytes(bin));
        assertArrayEquals(new byte[] {'a', (byte) 0xE9}, Samples.asBytes("a\u00e9"));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 1, 2}, Samples.asBytes(258L));
        assertArrayEquals(new byte[] {-1, -1, -1, -1, -1, -1, -1, -2}, Samples.asBytes(-2L));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 1}, Samples.asBytes(true));
        assertArrayEquals(new byte[] {10, 0, 0, 1}, Samples.asBytes(v4(10, 0, 0, 1)));
        assertArrayEquals(LOOPBACK6, Samples.asBytes(v6(LOOPBACK6)));
        assertNull(Samples.asBytes(null));
    }

    @Test
    void wholeInt64() {
        assertEquals(-12L, Samples.parseInt64("-12"));
        assertEquals(0L, Samples.parseInt64(""));
        assertEquals(0L, Samples.parseInt64("+"));
        assertEquals(Long.MAX_VALUE, Samples.parseInt64("99999999999999999999"));
        assertNull(Samples.parseInt64("12abc"));
        assertNull(Samples.parseInt64(" 1"));
        assertNull(Samples.parseInt64("--1"));
    }

    @ParameterizedTest
    @CsvSource({"0:0:0:0:0:0:0:0, ::", "0:0:0:0:0:0:0:1, ::1", "1:0:0:0:0:0:0:0, 1::",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", "1:0:0:1:0:0:0:1, 1:0:0:1::1", "1:0:2:3:4:5:6:7, 1:0:2:3:4:5:6:7",
        "0:0:0:0:0:0:102:304, ::1.2.3.4", "0:0:0:0:0:ffff:102:304, ::ffff:1.2.3.4", "0:0:0:0:1:ffff:102:304, ::1:ffff:102:304",
        "fe80:0:0:0:0:0:0:a, fe80::a", "0:0:1:0:0:0:0:0, 0:0:1::"})
    void inetNtop(String longForm, String expected) throws UnknownHostException {
        String[] groups = longForm.split(":");
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            int group = Integer.parseInt(groups[i], 16);
            bytes[2 * i] = (byte) (group >> 8);
            bytes[2 * i + 1] = (byte) group;
        }
        assertEquals(expected, IpText.format(bytes));
    }
}
