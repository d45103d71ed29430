package io.luagate.kernel.rule.match;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Textual IPv4/IPv6 addresses the way HAProxy reads and writes them, without ever asking a resolver.
 *
 * <ul>
 *   <li>{@link #parseIpv4Strict}: {@code inet_pton(AF_INET)}: exactly four decimal octets, no
 *       leading zeros.</li>
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
 *   <li>{@link #format}: {@code inet_ntop()}: {@code ::1}, {@code 2001:db8::1},
 *       {@code ::ffff:1.2.3.4}.</li>
 * </ul>
 *
 * IPv4 addresses travel as an {@code int} (network order: the first octet in the high bits).
 */
public final class IpAddresses {

    /** Returned by the IPv4 parsers when the text is not an address. */
    public static final long INVALID = -1L;

    private IpAddresses() {
    }

    /** {@code inet_pton(AF_INET)}: the address as an unsigned 32-bit value, or {@link #INVALID}. */
    public static long parseIpv4Strict(CharSequence text, int from, int to) {
        long result = 0;
        int octets = 0;
        int current = 0;
        boolean sawDigit = false;
        for (int i = from; i < to; i++) {
            char ch = text.charAt(i);
            if (ch >= '0' && ch <= '9') {
                if (sawDigit && current == 0) {
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
            } else {
                return INVALID;
            }
        }
        if (octets < 4 || !sawDigit) {
            return INVALID;
        }
        return (result << 8) | current;
    }

    /** HAProxy's {@code buf2ip()}: see the class comment. Unsigned 32-bit value or {@link #INVALID}. */
    public static long parseIpv4Prefix(CharSequence text, int from, int to) {
        long result = 0;
        int octets = 0;
        int current = 0;
        boolean sawDigit = false;
        for (int i = from; i < to; i++) {
            char ch = text.charAt(i);
            if (ch >= '0' && ch <= '9') {
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
            } else if (ch == '.') {
                if (!sawDigit || octets == 4) {
                    return INVALID;
                }
                result = (result << 8) | current;
                current = 0;
                sawDigit = false;
            } else {
                break;
            }
        }
        if (octets < 4) {
            return INVALID;
        }
        return (result << 8) | current;
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

    /** The address cast from a string as HAProxy does ({@code buf2ip}, then {@code inet_pton6}): 4 or 16 bytes, or null. */
    public static byte[] parseAddress(CharSequence text) {
        long v4 = parseIpv4Prefix(text, 0, text.length());
        if (v4 != INVALID) {
            return v4Bytes((int) v4);
        }
        return parseIpv6(text, 0, text.length());
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

    static byte[] v4Bytes(int v4) {
        return new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4};
    }

    /** {@code inet_ntop()} of 4 or 16 bytes. */
    public static String format(byte[] address) {
        StringBuilder out = new StringBuilder(address.length == 4 ? 15 : 39);
        if (address.length == 4) {
            appendV4(out, address, 0);
            return out.toString();
        }
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((address[2 * i] & 0xFF) << 8) | (address[2 * i + 1] & 0xFF);
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (words[i] == 0) {
                if (curBase == -1) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase != -1) {
                if (bestBase == -1 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase != -1 && (bestBase == -1 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase != -1 && bestLen < 2) {
            bestBase = -1;
        }
        for (int i = 0; i < 8; i++) {
            if (bestBase != -1 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    out.append(':');
                }
                continue;
            }
            if (i != 0) {
                out.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xFFFF))) {
                appendV4(out, address, 12);
                return out.toString();
            }
            out.append(Integer.toHexString(words[i]));
        }
        if (bestBase != -1 && bestBase + bestLen == 8) {
            out.append(':');
        }
        return out.toString();
    }

    private static void appendV4(StringBuilder out, byte[] bytes, int offset) {
        out.append(bytes[offset] & 0xFF).append('.').append(bytes[offset + 1] & 0xFF).append('.')
                .append(bytes[offset + 2] & 0xFF).append('.').append(bytes[offset + 3] & 0xFF);
    }
}
