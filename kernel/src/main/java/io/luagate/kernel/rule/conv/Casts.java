package io.luagate.kernel.rule.conv;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * HAProxy's sample cast matrix ({@code sample_casts[][]} in src/sample.c), applied to a
 * converter's input before it runs. Strings hold one byte per char (ISO-8859-1), as in
 * {@link io.luagate.spi.sample.Samples}. Each cast returns {@code null} where HAProxy has none
 * or where it fails.
 *
 * <p>These differ from {@code Samples} where HAProxy does: an integer or boolean becomes 8
 * big-endian bytes as binary (not its decimal text), binary becomes a string up to its first NUL
 * byte, a string becomes an integer through its numeric prefix ("12abc" is 12, "abc" is 0, ""
 * fails), an IPv4 address becomes its 32-bit value as an integer.
 */
final class Casts {

    private Casts() {
    }

    /** To str (c_int2str, c_bin2str, c_ip2str, c_ipv62str). */
    static String str(Object sample) {
        return switch (sample) {
            case String s -> s;
            case Long l -> Long.toString(l);
            case Boolean b -> b ? "1" : "0";
            case byte[] bytes -> {
                int end = 0;
                while (end < bytes.length && bytes[end] != 0) {
                    end++;
                }
                yield new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            case InetAddress address -> IpText.format(address);
            case null, default -> null;
        };
    }

    /** To bin (c_int2bin, c_bool2bin, c_addr2bin). */
    static byte[] bin(Object sample) {
        return switch (sample) {
            case byte[] bytes -> bytes;
            case String s -> s.getBytes(StandardCharsets.ISO_8859_1);
            case Long l -> bigEndian(l);
            case Boolean b -> bigEndian(b ? 1 : 0);
            case InetAddress address -> address.getAddress();
            case null, default -> null;
        };
    }

    /** To sint (c_str2int, c_ip2int); binary and IPv6 cannot be cast. */
    static Long sint(Object sample) {
        return switch (sample) {
            case Long l -> l;
            case Boolean b -> b ? 1L : 0L;
            case String s -> s.isEmpty() ? null : Int64Text.prefix(s);
            case Inet4Address address -> {
                byte[] a = address.getAddress();
                yield ((a[0] & 0xffL) << 24) | ((a[1] & 0xffL) << 16) | ((a[2] & 0xffL) << 8) | (a[3] & 0xffL);
            }
            case null, default -> null;
        };
    }

    /** To bool: integers are true when non-zero, strings through their integer value. */
    static Boolean bool(Object sample) {
        return switch (sample) {
            case Boolean b -> b;
            case Long l -> l != 0;
            case String s -> s.isEmpty() ? null : Int64Text.prefix(s) != 0;
            case null, default -> null;
        };
    }

    /** To an address (c_str2addr, c_int2ip): IPv4 or IPv6; strings are parsed, never resolved. */
    static InetAddress addr(Object sample) {
        return switch (sample) {
            case InetAddress address -> address;
            case Long l -> IpText.ipv4(new byte[] {(byte) (l >> 24), (byte) (l >> 16), (byte) (l >> 8), (byte) (long) l});
            case String s -> {
                byte[] v4 = IpText.parseIpv4Lenient(s);
                if (v4 != null) {
                    yield IpText.ipv4(v4);
                }
                byte[] v6 = s.length() <= 46 ? IpText.parseIpv6(s) : null;
                yield v6 == null ? null : IpText.ipv6(v6);
            }
            case null, default -> null;
        };
    }

    static byte[] bigEndian(long value) {
        byte[] out = new byte[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = (byte) value;
            value >>>= 8;
        }
        return out;
    }

    /** A binary result as the string it reads as (one char per byte). */
    static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
