package io.luagate.kernel.rule.match;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** HAProxy's casts to an address (c_str2addr: buf2ip then buf2ip6; c_int2ip) and v6tov4. */
class IpAddressesTest {

    private static final byte[] LOOPBACK6 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    @Test
    void castToAddress() throws Exception {
        assertArrayEquals(new byte[] {10, 1, 2, 3}, IpAddresses.castToAddress("10.1.2.3abc")); // buf2ip stops there
        assertArrayEquals(new byte[] {10, 0, 0, 1}, IpAddresses.castToAddress("010.0.0.1"));
        assertArrayEquals(LOOPBACK6, IpAddresses.castToAddress("::1"));
        assertArrayEquals(new byte[] {10, 0, 0, 1}, IpAddresses.castToAddress(0x0A000001L)); // c_int2ip
        assertArrayEquals(new byte[] {10, 0, 0, 1}, IpAddresses.castToAddress(0x70A000001L)); // its low 32 bits
        assertArrayEquals(new byte[] {10, 0, 0, 1}, IpAddresses.castToAddress(InetAddress.getByName("10.0.0.1")));
        assertNull(IpAddresses.castToAddress("127.1"));
        assertNull(IpAddresses.castToAddress(""));
        assertNull(IpAddresses.castToAddress(true));
        assertNull(IpAddresses.castToAddress(new byte[] {10, 0, 0, 1}));
        assertNull(IpAddresses.castToAddress(null));
    }

    @Test
    void buf2ip6ReadsACString() {
        assertArrayEquals(LOOPBACK6, IpAddresses.parseAddress("::1\0garbage")); // inet_pton stops at the NUL
        String padded = "::1\0" + "x".repeat(42); // 46 characters: still read
        assertArrayEquals(LOOPBACK6, IpAddresses.parseAddress(padded));
        assertNull(IpAddresses.parseAddress(padded + "x")); // 47: longer than INET6_ADDRSTRLEN
        assertNull(IpAddresses.parseAddress("::1 "));
    }

    @Test
    void inetAddresses() {
        assertTrue(IpAddresses.toInetAddress(new byte[] {1, 2, 3, 4}) instanceof Inet4Address);
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 1, 2, 3, 4};
        assertTrue(IpAddresses.toInetAddress(mapped) instanceof Inet6Address); // kept IPv6
        assertArrayEquals(new byte[] {1, 2, 3, 4}, IpAddresses.v6ToV4(mapped));
        byte[] compatible = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
        assertNull(IpAddresses.v6ToV4(compatible));
        assertNull(IpAddresses.v6ToV4(LOOPBACK6));
    }

    @Test
    void strictAndPrefixIpv4() {
        assertEquals(IpAddresses.INVALID, IpAddresses.parseIpv4Strict("1.2.3.4x", 0, 8));
        assertEquals(0x01020304L, IpAddresses.parseIpv4Prefix("1.2.3.4x", 0, 8));
        assertEquals(IpAddresses.INVALID, IpAddresses.parseIpv4Prefix("1.2.3.4.", 0, 8));
        assertEquals(IpAddresses.INVALID, IpAddresses.parseIpv4Prefix("1.2.3", 0, 5));
        assertEquals(IpAddresses.INVALID, IpAddresses.parseIpv4Prefix(".1.2.3.4", 0, 8));
        assertEquals(IpAddresses.INVALID, IpAddresses.parseIpv4Prefix("1..2.3.4", 0, 8));
    }
}
