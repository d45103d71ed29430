package io.luagate.kernel.rule.match;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * The casts HAProxy applies to a sample before matching it (its {@code sample_casts} table), where
 * they differ from the general-purpose ones of {@code io.luagate.spi.sample.Samples}:
 *
 * <ul>
 *   <li>to str: binary stops at its first NUL byte; IPv6 is written as {@code inet_ntop} does
 *       ({@code ::1}, not {@code 0:0:0:0:0:0:0:1}).</li>
 *   <li>to int: a string is read as its leading integer ({@code "12abc"} is 12, {@code "abc"} is
 *       0), an empty string has no value; an IPv4 address is its 32-bit value; IPv6 and binary have
 *       no integer value.</li>
 *   <li>to address: a string through {@code buf2ip} then {@code inet_pton6}; an integer is an IPv4
 *       address; booleans and binary have none.</li>
 *   <li>to binary: an integer or boolean is 8 bytes, big-endian; an address its 4 or 16 bytes.</li>
 * </ul>
 *
 * Strings carry bytes as ISO-8859-1 characters, like the rest of the sample machinery.
 */
public final class SampleCasts {

    private SampleCasts() {
    }

    /** The sample as a string (HAProxy's cast to {@code str}), or {@code null} if it has no such form. */
    public static String toStr(Object sample) {
        return switch (sample) {
            case String s -> s;
            case Long l -> Long.toString(l);
            case Boolean b -> b ? "1" : "0";
            case byte[] bytes -> binToStr(bytes);
            case InetAddress address -> IpAddresses.format(address.getAddress());
            case null, default -> null;
        };
    }

    private static String binToStr(byte[] bytes) {
        int length = 0;
        while (length < bytes.length && bytes[length] != 0) {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    /** Whether the sample has an integer value (see {@link #toSint}). */
    public static boolean hasSint(Object sample) {
        return switch (sample) {
            case Long l -> true;
            case Boolean b -> true;
            case String s -> !s.isEmpty();
            case Inet4Address a -> true;
            case null, default -> false;
        };
    }

    /** The integer value of a sample for which {@link #hasSint} is true (0 otherwise). */
    public static long toSint(Object sample) {
        return switch (sample) {
            case Long l -> l;
            case Boolean b -> b ? 1 : 0;
            case String s -> readInt64(s, 0, s.length());
            case Inet4Address a -> {
                byte[] b = a.getAddress();
                yield ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
            }
            case null, default -> 0;
        };
    }

    /**
     * HAProxy's {@code read_int64()}: an optional sign then as many digits as there are, saturating
     * at the bounds of a long; stops at the first other character, which is not an error.
     */
    public static long readInt64(CharSequence s, int from, int to) {
        return readInt64End(s, from, to, null);
    }

    /**
     * Parses like {@link #readInt64} but requires the whole text to be consumed, as HAProxy does for
     * the integer values of a map and for integer converter arguments ({@code ""} is 0).
     *
     * @return the value, or {@code null} if characters remain
     */
    public static Long parseInt64Whole(CharSequence s) {
        int[] end = new int[1];
        long value = readInt64End(s, 0, s.length(), end);
        return end[0] == s.length() ? value : null;
    }

    private static long readInt64End(CharSequence s, int from, int to, int[] end) {
        int i = from;
        boolean negative = false;
        if (i < to && s.charAt(i) == '-') {
            negative = true;
            i++;
        } else if (i < to && s.charAt(i) == '+') {
            i++;
        }
        long value = 0; // unsigned accumulation
        boolean overflow = false;
        while (i < to) {
            int digit = s.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            if (!overflow) {
                long times = value * 10;
                if (Long.compareUnsigned(value, Long.divideUnsigned(-1L, 10)) > 0
                        || Long.compareUnsigned(-1L - times, digit) < 0) {
                    overflow = true;
                    value = -1L;
                } else {
                    value = times + digit;
                }
            }
            i++;
        }
        if (end != null) {
            end[0] = i;
        }
        if (negative) {
            return Long.compareUnsigned(value, Long.MIN_VALUE) > 0 ? Long.MIN_VALUE : -value;
        }
        return Long.compareUnsigned(value, Long.MAX_VALUE) > 0 ? Long.MAX_VALUE : value;
    }

    /** The sample as an address, 4 or 16 bytes (HAProxy's cast to {@code addr}), or {@code null}. */
    public static byte[] toAddress(Object sample) {
        return switch (sample) {
            case InetAddress address -> address.getAddress();
            case String s -> IpAddresses.parseAddress(s);
            case Long l -> IpAddresses.v4Bytes((int) (long) l);
            case null, default -> null;
        };
    }

    /** The sample as bytes (HAProxy's cast to {@code bin}), or {@code null}. */
    public static byte[] toBin(Object sample) {
        return switch (sample) {
            case byte[] bytes -> bytes;
            case String s -> s.getBytes(StandardCharsets.ISO_8859_1);
            case Long l -> longBytes(l);
            case Boolean b -> longBytes(b ? 1 : 0);
            case InetAddress address -> address.getAddress();
            case null, default -> null;
        };
    }

    private static byte[] longBytes(long value) {
        byte[] out = new byte[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = (byte) value;
            value >>>= 8;
        }
        return out;
    }
}
