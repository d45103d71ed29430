package io.luagate.kernel.rule.match;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Addresses read from text the way HAProxy reads them, without ever asking a resolver, and HAProxy's
 * casts to an address. (Writing them, {@code inet_ntop()}, is {@link io.luagate.spi.sample.IpText}.)
 *
 * <ul>
 *   <li>{@link #parseIpv4Strict}: {@code inet_pton(AF_INET)}: exactly four decimal octets, no
 *       leading zeros. Map keys, IPv4 masks and the IPv4 tail of an IPv6 address.</li>
 *   <li>{@link #parseIpv4Prefix}: HAProxy's {@code buf2ip()}, used to cast a string sample to an
 *       address and to read the values of {@code map_*_ip}: four decimal octets (leading zeros
 *       allowed) at the start of the text; whatever follows the fourth octet, from the first
 *       character that is neither a digit nor a dot, is ignored ({@code "10.1.2.3abc"} is
 *       10.1.2.3).</li>
 *   <li>{@link #parseIpv4Short}: the all-digits-and-dots forms the C library's host name lookup
 *       reads as numbers ({@code inet_aton}): {@code 127.1}, {@code 10.12}, octal
 *       {@code 010.0.0.1} (hex is not read, as HAProxy shows). HAProxy accepts them in ACL patterns
 *       (doc 7.1.6) because it falls back to a host name lookup; map keys, which it reads without
 *       DNS, must be strict.</li>
 *   <li>{@link #parseIpv6}: {@code inet_pton(AF_INET6)}: no brackets, no zone.</li>
 *   <li>{@link #parseAddress}, {@link #castToAddress}: HAProxy's casts to an address
 *       ({@code c_str2addr}, {@code c_int2ip}), the same for converters ({@code ipmask}), pattern
 *       matching ({@code -m ip}) and actions ({@code set-dst}).</li>
 *   <li>{@link #v6ToV4}: HAProxy's {@code v6tov4()} ({@code c_ipv62ip}): the IPv4 address inside
 *       an IPv4-mapped one.</li>
 * </ul>
 *
 * IPv4 addresses travel as a {@code long} holding an unsigned 32-bit value (the first octet in
 * the high bits) or {@link #INVALID}; IPv6 ones as 16 bytes.
 */
public final class IpAddresses {

    /** {@code INET6_ADDRSTRLEN}: HAProxy's {@code buf2ip6()} refuses longer text. */
    private static final int INET6_ADDRSTRLEN = 46;

    /** Returned by the IPv4 parsers when the text is not an address. */
    public static final long INVALID = -1L;

    private IpAddresses() {
    }

    /** {@code inet_pton(AF_INET)}: the address as an unsigned 32-bit value, or {@link #INVALID}. */
    public static long parseIpv4Strict(CharSequence text, int from, int to) {
        return parseIpv4(text, from, to, true);
    }

    /** HAProxy's {@code buf2ip()}: see the class comment. Unsigned 32-bit value or {@link #INVALID}. */
    public static long parseIpv4Prefix(CharSequence text, int from, int to) {
        return parseIpv4(text, from, to, false);
    }

    /**
     * Four dotted decimal octets. {@code strict} ({@code inet_pton}): no leading zero, nothing else
     * in the text; otherwise ({@code buf2ip}): leading zeros are fine and the address ends at the
     * first character that is neither a digit nor a dot.
     */
    private static long parseIpv4(CharSequence text, int from, int to, boolean strict) {
        long result = 0;
        int octets = 0;
        int current = 0;
        boolean sawDigit = false;
        for (int i = from; i < to; i++) {
            char ch = text.charAt(i);
            if (ch >= '0' && ch <= '9') {
                if (strict && sawDigit && current == 0) {
                    return INVALID; // leading zero
                }
                current = current * 10 + (ch - '0');
                if (current > 255) {
                    return INVALID;
                }
                if (!sawDigit) {
                    if (++octets > 4) {
                        return INVALID;
                    }
                    sawDigit = true;
                }
            } else if (ch == '.' && sawDigit) {
                if (octets == 4) {
                    return INVALID;
                }
                result = (result << 8) | current;
                current = 0;
                sawDigit = false;
            } else if (strict || ch == '.') {
                return INVALID;
            } else {
                break;
            }
        }
        // four octets, the last one with digits (a dot after the fourth is refused above)
        return octets < 4 ? INVALID : (result << 8) | current;
    }

    /**
     * {@code inet_aton()} on text made only of digits and dots: one to four parts, each decimal or
     * octal (leading 0); the last part fills the remaining bytes. Unsigned 32-bit value or
     * {@link #INVALID}.
     */
    public static long parseIpv4Short(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            char ch = text.charAt(i);
            if (ch != '.' && (ch < '0' || ch > '9')) {
                return INVALID;
            }
        }
        long[] parts = new long[4];
        int count = 0;
        int i = from;
        while (true) {
            if (i >= to || !isDigit(text.charAt(i))) {
                return INVALID;
            }
            int base = 10;
            if (text.charAt(i) == '0') {
                base = 8;
                i++;
            }
            long value = 0;
            while (i < to) {
                char ch = text.charAt(i);
                int digit = ch - '0';
                if (digit < 0 || digit >= base) {
                    break;
                }
                value = value * base + digit;
                if (value > 0xFFFFFFFFL) {
                    return INVALID;
                }
                i++;
            }
            if (count == 4) {
                return INVALID;
            }
            parts[count++] = value;
            if (i == to) {
                break;
            }
            if (text.charAt(i) != '.') {
                return INVALID;
            }
            i++;
        }
        long last = parts[count - 1];
        long max = switch (count) {
            case 1 -> 0xFFFFFFFFL;
            case 2 -> 0xFFFFFFL;
            case 3 -> 0xFFFFL;
            default -> 0xFFL;
        };
        if (last > max) {
            return INVALID;
        }
        long result = 0;
        for (int p = 0; p < count - 1; p++) {
            if (parts[p] > 255) {
                return INVALID;
            }
            result |= parts[p] << (24 - 8 * p);
        }
        return result | last;
    }

    private static boolean isDigit(char ch) {
        return ch >= '0' && ch <= '9';
    }

    /** {@code inet_pton(AF_INET6)}: 16 bytes, or {@code null}. */
    public static byte[] parseIpv6(CharSequence text, int from, int to) {
        if (to - from > 45 || from >= to) {
            return null;
        }
        byte[] out = new byte[16];
        int tp = 0;
        int colonp = -1;
        int i = from;
        if (text.charAt(i) == ':') {
            if (i + 1 >= to || text.charAt(i + 1) != ':') {
                return null;
            }
            i++;
        }
        int curtok = i;
        boolean sawXdigit = false;
        int digits = 0;
        int value = 0;
        while (i < to) {
            char ch = text.charAt(i++);
            int hex = Character.digit(ch, 16);
            if (hex >= 0 && ch < 0x80) {
                value = (value << 4) | hex;
                if (++digits > 4) {
                    return null;
                }
                sawXdigit = true;
                continue;
            }
            if (ch == ':') {
                curtok = i;
                if (!sawXdigit) {
                    if (colonp >= 0) {
                        return null;
                    }
                    colonp = tp;
                    continue;
                } else if (i == to) {
                    return null;
                }
                if (tp + 2 > 16) {
                    return null;
                }
                out[tp++] = (byte) (value >> 8);
                out[tp++] = (byte) value;
                sawXdigit = false;
                digits = 0;
                value = 0;
                continue;
            }
            if (ch == '.' && tp + 4 <= 16) {
                long v4 = parseIpv4Strict(text, curtok, to);
                if (v4 == INVALID) {
                    return null;
                }
                out[tp++] = (byte) (v4 >> 24);
                out[tp++] = (byte) (v4 >> 16);
                out[tp++] = (byte) (v4 >> 8);
                out[tp++] = (byte) v4;
                sawXdigit = false;
                i = to;
                break;
            }
            return null;
        }
        if (sawXdigit) {
            if (tp + 2 > 16) {
                return null;
            }
            out[tp++] = (byte) (value >> 8);
            out[tp++] = (byte) value;
        }
        if (colonp >= 0) {
            if (tp == 16) {
                return null;
            }
            int n = tp - colonp;
            for (int k = 1; k <= n; k++) {
                out[16 - k] = out[colonp + n - k];
                out[colonp + n - k] = 0;
            }
            tp = 16;
        }
        return tp == 16 ? out : null;
    }

    /**
     * HAProxy's cast of a string to an address ({@code c_str2addr}): {@code buf2ip()}, else
     * {@code buf2ip6()}, which refuses text longer than {@code INET6_ADDRSTRLEN} (46) and hands the
     * rest to {@code inet_pton(AF_INET6)} as a C string, so up to its first NUL. 4 or 16 bytes, or
     * null.
     */
    public static byte[] parseAddress(CharSequence text) {
        int length = text.length();
        long v4 = parseIpv4Prefix(text, 0, length);
        if (v4 != INVALID) {
            return v4Bytes((int) v4);
        }
        if (length > INET6_ADDRSTRLEN) {
            return null;
        }
        int end = 0;
        while (end < length && text.charAt(end) != 0) {
            end++;
        }
        return parseIpv6(text, 0, end);
    }

    /**
     * HAProxy's cast of a sample to an address (to {@code addr}): 4 or 16 bytes, network order, or
     * {@code null}. An address is its bytes; a string goes through {@link #parseAddress}; an
     * integer is the IPv4 address of its low 32 bits ({@code c_int2ip}); booleans and binary have
     * none.
     */
    public static byte[] castToAddress(Object sample) {
        return switch (sample) {
            case InetAddress address -> address.getAddress();
            case String s -> parseAddress(s);
            case Long l -> v4Bytes((int) (long) l);
            case null, default -> null;
        };
    }

    /** The same as an {@link InetAddress} (an {@link Inet6Address} stays one, even IPv4-mapped), or null. */
    public static InetAddress parseInetAddress(CharSequence text) {
        byte[] bytes = parseAddress(text);
        return bytes == null ? null : toInetAddress(bytes);
    }

    /** 4 bytes give an IPv4 address, 16 bytes an {@link Inet6Address} (not folded to IPv4 when mapped). */
    public static InetAddress toInetAddress(byte[] bytes) {
        try {
            return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + bytes.length + " bytes", e);
        }
    }

    /** The 4 bytes of an IPv4 address held as an int (first octet in the high bits). */
    public static byte[] v4Bytes(int v4) {
        return new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4};
    }

    /**
     * HAProxy's {@code v6tov4()}: the 4 bytes of the IPv4 address inside an IPv4-mapped IPv6 one
     * ({@code ::ffff:a.b.c.d}), or {@code null} for any other (an IPv4-compatible
     * {@code ::a.b.c.d} included).
     */
    public static byte[] v6ToV4(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return null;
            }
        }
        if (v6[10] != (byte) 0xFF || v6[11] != (byte) 0xFF) {
            return null;
        }
        return new byte[] {v6[12], v6[13], v6[14], v6[15]};
    }
}
