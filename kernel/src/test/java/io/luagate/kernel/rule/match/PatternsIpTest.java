package io.luagate.kernel.rule.match;

import static io.luagate.kernel.rule.match.PatternsTest.patterns;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.sample.IpText;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code -m ip}, and the address parsing and formatting behind it. Rows marked "(haproxy)" were checked against HAProxy 2.6.12. */
class PatternsIpTest {

    /** patterns (space-separated), sample (a string cast to an address), expected. */
    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("192.168.0.1", "192.168.0.1", true),
                Arguments.of("192.168.0.1", "192.168.0.2", false),
                Arguments.of("10.0.0.0/8", "10.255.1.2", true),
                Arguments.of("10.0.0.0/8", "11.0.0.1", false),
                Arguments.of("10.0.0.12/8", "10.1.1.1", true), // host bits of the pattern do not matter
                Arguments.of("192.168.0.1/22", "192.168.3.255", true),
                Arguments.of("192.168.0.1/22", "192.168.4.0", false),
                Arguments.of("10.0.0.0/255.0.0.0", "10.9.9.9", true), // dotted mask
                Arguments.of("10.0.0.10/255.0.255.255", "10.77.0.10", true), // non-contiguous mask
                Arguments.of("10.0.0.10/255.0.255.255", "10.77.1.10", false),
                Arguments.of("0.0.0.0/0", "1.2.3.4", true),
                // doc 7.1.6: short forms in ACLs
                Arguments.of("127.1", "127.0.0.1", true), // (haproxy)
                Arguments.of("10.12/8", "10.9.9.9", true), // (haproxy)
                Arguments.of("10.12/8", "11.0.0.1", false), // (haproxy)
                Arguments.of("192.168.1", "192.168.0.1", true),
                Arguments.of("010.0.0.1", "8.0.0.1", true), // (haproxy): octal, as inet_aton
                Arguments.of("011.1", "9.0.0.1", true), // (haproxy)
                Arguments.of("011.1", "11.0.0.1", false), // (haproxy)
                // IPv6
                Arguments.of("2001:db8::/32", "2001:db8:1::1", true),
                Arguments.of("2001:db8::/32", "2001:db9::1", false),
                Arguments.of("::1", "::1", true),
                Arguments.of("::1", "0:0:0:0:0:0:0:1", true),
                Arguments.of("::/0", "fe80::1", true),
                // an IPv4 pattern matches IPv4-mapped, IPv4-compatible and 6to4 samples (doc 7.1.6)
                Arguments.of("10.0.0.0/8", "::ffff:10.1.0.1", true), // (haproxy)
                Arguments.of("10.0.0.0/8", "::10.1.0.1", true), // (haproxy)
                Arguments.of("10.0.0.0/8", "2002:0a01:0001::", true), // (haproxy)
                Arguments.of("10.0.0.0/8", "2003:0a01:0001::", false),
                Arguments.of("10.0.0.0/8", "::ffff:11.0.0.1", false),
                Arguments.of("10.0.0.10/255.0.255.255", "::ffff:10.3.0.10", true), // the list too
                Arguments.of("10.0.0.10/255.0.255.255", "2002:0a03:000a::", true),
                // an IPv6 pattern matches an IPv4 sample seen as ::ffff:a.b.c.d
                Arguments.of("::ffff:192.168.0.0/112", "192.168.1.1", true),
                Arguments.of("::ffff:192.168.0.0/120", "192.168.1.1", false),
                // strings are cast as HAProxy's buf2ip does: leading octets, trailing junk ignored
                Arguments.of("10.0.0.0/16", "10.0.2.3abc", true), // (haproxy)
                Arguments.of("10.0.0.0/16", "010.0.2.3", true), // (haproxy): decimal, leading zeros allowed
                Arguments.of("10.0.0.0/16", "10.0.2.3.4", false), // (haproxy): not an address
                Arguments.of("10.0.0.0/16", "10.0.2", false),
                Arguments.of("10.0.0.0/16", "", false),
                Arguments.of("::1", "[::1]", false));
    }

    @ParameterizedTest(name = "[{0}] on {1} -> {2}")
    @MethodSource("rows")
    void matching(String patterns, String sample, boolean expected) throws PatternException {
        assertEquals(expected, PatternsTest.matches(MatchMethod.IP, false, sample, patterns.split(" ")));
    }

    @Test
    void samplesOfEveryType() throws Exception {
        Matcher m = Patterns.compile(MatchMethod.IP, patterns("10.0.0.0/8", "2001:db8::/32"), false);
        assertTrue(m.matches(InetAddress.getByName("10.1.2.3")));
        assertTrue(m.matches(InetAddress.getByName("2001:db8::5")));
        assertTrue(m.matches(Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 10, 0, 0, 1}, -1))); // mapped, kept IPv6
        assertTrue(m.matches(0x0A000001L)); // an integer is an IPv4 address
        assertFalse(m.matches(true));
        assertFalse(m.matches(new byte[] {10, 0, 0, 1})); // binary is not cast to an address
    }

    @Test
    void longestNetworkWinsAndV4TreeComesFirst() throws PatternException {
        // as map_ip (haproxy): 10.1.2.3 -> ten16, 10.2.3.4 -> ten8, 192.168.1.1 -> all,
        // ::ffff:192.168.1.1 -> mapped, ::ffff:10.1.0.1 -> ten16, 2001:db8::1 -> doc
        PatternIndex index = Patterns.index(MatchMethod.IP, patterns("10.0.0.0/8", "10.1.0.0/16", "10.1.0.0/16",
                "0.0.0.0/0", "::ffff:192.168.0.0/112", "2001:db8::/32", "10.1.2.0/255.255.0.255"), false,
                Patterns.Source.MAP_KEYS);
        assertEquals(1, index.find("10.1.2.3"));
        assertEquals(0, index.find("10.2.3.4"));
        assertEquals(3, index.find("192.168.1.1")); // the IPv4 tree first, even /0
        assertEquals(4, index.find("::ffff:192.168.1.1")); // the IPv6 tree first for an IPv6 sample
        assertEquals(1, index.find("::ffff:10.1.0.1"));
        assertEquals(5, index.find("2001:db8::1"));
        assertEquals(PatternIndex.NO_MATCH, index.find("2001:db9::1"));
        assertEquals(PatternIndex.NO_SAMPLE, index.find("example"));
    }

    @Test
    void mapKeysMustBeStrict() {
        assertThrowsPattern("127.1", Patterns.Source.MAP_KEYS); // (haproxy): map keys are read without DNS
        assertThrowsPattern("010.0.0.1", Patterns.Source.MAP_KEYS);
    }

    private static void assertThrowsPattern(String text, Patterns.Source source) {
        try {
            Patterns.index(MatchMethod.IP, patterns(text), false, source);
        } catch (PatternException e) {
            assertEquals("'" + text + "' is not a valid IPv4 or IPv6 address", e.getMessage());
            return;
        }
        throw new AssertionError(text + " was accepted");
    }

    @Test
    void manyNetworks() throws PatternException {
        String[] nets = new String[4096];
        for (int i = 0; i < nets.length; i++) {
            nets[i] = "10." + (i >> 4) + "." + ((i & 15) << 4) + ".0/28";
        }
        Matcher m = Patterns.compile(MatchMethod.IP, patterns(nets), false);
        assertTrue(m.matches("10.255.240.15"));
        assertFalse(m.matches("10.255.240.16"));
        assertFalse(m.matches("10.255.241.0"));
        assertTrue(m.matches("10.0.0.0"));
        assertFalse(m.matches("11.0.0.1"));
    }

    /** The prefix tree against a naive longest-match, on random networks. */
    @Test
    void treeAgreesWithNaiveLongestMatch() throws PatternException {
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(20);
            String[] texts = new String[n];
            int[] addresses = new int[n];
            int[] prefixes = new int[n];
            for (int i = 0; i < n; i++) {
                addresses[i] = 0x0A000000 | (random.nextInt(4) << 22) | (random.nextInt(4) << 14) | random.nextInt(4);
                prefixes[i] = 8 + random.nextInt(25);
                texts[i] = IpText.format(IpAddresses.v4Bytes(addresses[i])) + "/" + prefixes[i];
            }
            PatternIndex index = Patterns.index(MatchMethod.IP, patterns(texts), false, Patterns.Source.MAP_KEYS);
            for (int k = 0; k < 50; k++) {
                int sample = 0x0A000000 | (random.nextInt(4) << 22) | (random.nextInt(4) << 14) | random.nextInt(4);
                int naive = -1;
                for (int i = 0; i < n; i++) {
                    int mask = (int) (0xFFFFFFFFL << (32 - prefixes[i]));
                    if (((sample ^ addresses[i]) & mask) == 0 && (naive < 0 || prefixes[i] > prefixes[naive])) {
                        naive = i;
                    }
                }
                assertEquals(naive, index.find(IpText.format(IpAddresses.v4Bytes(sample))), java.util.Arrays.toString(texts));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "::1, ::1", "::, ::", "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", "2001:0:0:1:0:0:0:0, 2001:0:0:1::",
        "::1.2.3.4, ::1.2.3.4", "::0.1.0.2, ::0.1.0.2", "1:0:0:0:0:0:0:1, 1::1", "::ffff:1.2.3.4, ::ffff:1.2.3.4",
        "FE80::A, fe80::a", "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8", "1:0:2:3:4:5:6:7, 1:0:2:3:4:5:6:7"})
    void ipv6TextAsInetNtop(String in, String out) {
        assertEquals(out, IpText.format(IpAddresses.parseIpv6(in, 0, in.length())));
    }

    @ParameterizedTest
    @CsvSource({"1::2::3", ":1::", "1::2:", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", "::1.2.3", "::01.2.3.4",
        "1.2.3.4", "::g", "[::1]", "fe80::1%eth0", "1:2:3:4:5:6:7"})
    void badIpv6(String text) {
        assertNull(IpAddresses.parseIpv6(text, 0, text.length()));
    }

    @Test
    void ipv4Forms() {
        assertEquals(0x0A000001L, IpAddresses.parseIpv4Strict("10.0.0.1", 0, 8));
        assertEquals(IpAddresses.INVALID, IpAddresses.parseIpv4Strict("010.0.0.1", 0, 9));
        assertEquals(IpAddresses.INVALID, IpAddresses.parseIpv4Strict("10.0.0.256", 0, 10));
        assertEquals(0x0A000001L, IpAddresses.parseIpv4Prefix("010.0.0.1", 0, 9));
        assertEquals(0x0A000001L, IpAddresses.parseIpv4Prefix("10.0.0.1 x", 0, 10));
        assertEquals(0x7F000001L, IpAddresses.parseIpv4Short("127.1", 0, 5));
        assertEquals(0x0A00000CL, IpAddresses.parseIpv4Short("10.12", 0, 5));
        assertEquals(0xC0A80001L, IpAddresses.parseIpv4Short("192.168.1", 0, 9));
        assertEquals(0x01020304L, IpAddresses.parseIpv4Short("16909060", 0, 8));
        assertEquals(IpAddresses.INVALID, IpAddresses.parseIpv4Short("1.256.1", 0, 7));
        assertEquals(IpAddresses.INVALID, IpAddresses.parseIpv4Short("09.1", 0, 4));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, IpAddresses.parseAddress("1.2.3.4"));
        assertTrue(IpAddresses.parseInetAddress("::ffff:1.2.3.4") instanceof Inet6Address);
    }
}
