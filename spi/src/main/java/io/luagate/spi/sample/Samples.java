package io.luagate.spi.sample;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * HAProxy 2.6's implicit casts between sample types: its {@code sample_casts[from][to]} matrix in
 * src/sample.c, which HAProxy applies to a converter's input, to a sample before it is matched
 * against patterns, to the values of actions and to log-format expressions. Each cast returns
 * {@code null} where the matrix has no cast or where the cast fails. They run on every request:
 * none compiles a regex or copies a sample it can return as it is.
 *
 * <p>Strings (str) hold one byte per {@code char} (ISO-8859-1), so binary survives a round trip.
 * Integers are {@link Long}s (sint), booleans {@link Boolean}s (bool), binary {@code byte[]} (bin)
 * and addresses {@link InetAddress}es (ipv4, ipv6); see the package documentation. Other objects
 * are not samples and cast to nothing.
 *
 * <p>The casts to an address ({@code c_str2addr}, {@code c_int2ip}) need HAProxy's address parsers
 * and are done by the kernel, not here.
 */
public final class Samples {

    /** ULLONG_MAX / 10: above it, one more digit overflows 64 unsigned bits. */
    private static final long UNSIGNED_MAX_DIV_10 = Long.divideUnsigned(-1L, 10);

    private Samples() {
    }

    /**
     * The cast to str.
     *
     * <ul>
     *   <li>str: itself.</li>
     *   <li>sint ({@code c_int2str}): decimal, {@code -12}.</li>
     *   <li>bool ({@code c_int2str}): {@code 1} or {@code 0}.</li>
     *   <li>bin ({@code c_bin2str}): its bytes as characters, up to (without) its first NUL byte.</li>
     *   <li>ipv4, ipv6 ({@code c_ip2str}, {@code c_ipv62str}): as {@code inet_ntop()} writes them,
     *       {@code 10.0.0.1}, {@code ::1}, {@code ::ffff:1.2.3.4} (see {@link IpText#format}).</li>
     * </ul>
     */
    public static String asString(Object sample) {
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
            case InetAddress address -> IpText.format(address.getAddress());
            case null, default -> null;
        };
    }

    /**
     * The cast to sint, boxed; {@code null} where {@link #hasLong} is false. See {@link #longValue}
     * for the rules, and for the form that does not box.
     */
    public static Long asLong(Object sample) {
        return switch (sample) {
            case Long l -> l;
            case null -> null;
            default -> hasLong(sample) ? longValue(sample) : null;
        };
    }

    /**
     * Whether the sample casts to sint: integers, booleans, non-empty strings and IPv4 addresses
     * do; the empty string, binary and IPv6 addresses do not.
     */
    public static boolean hasLong(Object sample) {
        return switch (sample) {
            case Long l -> true;
            case Boolean b -> true;
            case String s -> !s.isEmpty();
            case Inet4Address address -> true;
            case null, default -> false;
        };
    }

    /**
     * The cast to sint of a sample for which {@link #hasLong} is true (0 for any other).
     *
     * <ul>
     *   <li>sint: itself; bool: 1 or 0.</li>
     *   <li>str ({@code c_str2int}, HAProxy's {@code read_int64()}): an optional sign then the
     *       decimal digits that follow, up to the first other character, which is no error:
     *       {@code "12abc"} is 12, {@code "abc"} and {@code "-"} are 0; values beyond 64 bits
     *       saturate at {@link Long#MAX_VALUE} or {@link Long#MIN_VALUE}. The empty string has no
     *       value.</li>
     *   <li>ipv4 ({@code c_ip2int}): its unsigned 32-bit value, 10.0.0.1 is 167772161.</li>
     *   <li>bin and ipv6: none.</li>
     * </ul>
     */
    public static long longValue(Object sample) {
        return switch (sample) {
            case Long l -> l;
            case Boolean b -> b ? 1 : 0;
            case String s -> readInt64(s, s.length());
            case Inet4Address address -> {
                byte[] a = address.getAddress();
                yield ((a[0] & 0xFFL) << 24) | ((a[1] & 0xFF) << 16) | ((a[2] & 0xFF) << 8) | (a[3] & 0xFF);
            }
            case null, default -> 0;
        };
    }

    /**
     * The cast to bool, as converters that take a boolean ({@code iif}) see it.
     *
     * <ul>
     *   <li>bool: itself; sint: true when not 0.</li>
     *   <li>str ({@code c_str2int}): its {@link #longValue} is not 0 ({@code "2x"} is true,
     *       {@code "abc"} false); the empty string has none.</li>
     *   <li>bin, ipv4, ipv6: none (HAProxy's matrix has no such cast).</li>
     * </ul>
     *
     * Matching with {@code -m bool} and the {@code bool} converter differ: they cast to sint
     * ({@link #hasLong}, {@link #longValue}), so an IPv4 address is true there unless it is
     * 0.0.0.0.
     */
    public static Boolean asBoolean(Object sample) {
        return switch (sample) {
            case Boolean b -> b;
            case Long l -> l != 0;
            case String s -> s.isEmpty() ? null : readInt64(s, s.length()) != 0;
            case null, default -> null;
        };
    }

    /**
     * The cast to bin. The result may be the sample's own array (for bin): do not modify it.
     *
     * <ul>
     *   <li>bin: itself.</li>
     *   <li>str: its characters as bytes (ISO-8859-1).</li>
     *   <li>sint ({@code c_int2bin}): its 8 bytes, big-endian; bool ({@code c_bool2bin}): the
     *       same for 1 or 0.</li>
     *   <li>ipv4, ipv6 ({@code c_addr2bin}): its 4 or 16 bytes, network order.</li>
     * </ul>
     */
    public static byte[] asBytes(Object sample) {
        return switch (sample) {
            case byte[] bytes -> bytes;
            case String s -> s.getBytes(StandardCharsets.ISO_8859_1);
            case Long l -> bigEndian(l);
            case Boolean b -> bigEndian(b ? 1 : 0);
            case InetAddress address -> address.getAddress();
            case null, default -> null;
        };
    }

    /**
     * A whole text read as HAProxy's {@code read_int64()} reads it (an optional sign then digits,
     * saturating beyond 64 bits), as it does for integer arguments and for the integer values of
     * maps: {@code "-12"} is -12, {@code ""} and {@code "+"} are 0, {@code "99999999999999999999"}
     * is {@link Long#MAX_VALUE}.
     *
     * @return the value, or {@code null} if anything other than digits follows the sign
     */
    public static Long parseInt64(CharSequence text) {
        int i = 0;
        int n = text.length();
        if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        while (i < n && isDigit(text.charAt(i))) {
            i++;
        }
        return i == n ? readInt64(text, n) : null;
    }

    /** read_int64(): sign and digits from the start of {@code text}, up to {@code to} or the first other character. */
    private static long readInt64(CharSequence text, int to) {
        int i = 0;
        boolean negative = false;
        if (i < to && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        long magnitude = 0; // unsigned; ULLONG_MAX once it overflows, and then it stays so
        for (; i < to && isDigit(text.charAt(i)); i++) {
            int digit = text.charAt(i) - '0';
            boolean overflows = Long.compareUnsigned(magnitude, UNSIGNED_MAX_DIV_10) > 0
                    || Long.compareUnsigned(-1L - magnitude * 10, digit) < 0;
            magnitude = overflows ? -1L : magnitude * 10 + digit;
        }
        if (negative) {
            return Long.compareUnsigned(magnitude, Long.MIN_VALUE) > 0 ? Long.MIN_VALUE : -magnitude;
        }
        return Long.compareUnsigned(magnitude, Long.MAX_VALUE) > 0 ? Long.MAX_VALUE : magnitude;
    }

    private static boolean isDigit(char ch) {
        return ch >= '0' && ch <= '9';
    }

    private static byte[] bigEndian(long value) {
        byte[] out = new byte[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = (byte) value;
            value >>>= 8;
        }
        return out;
    }
}
