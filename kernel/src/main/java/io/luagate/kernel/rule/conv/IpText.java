package io.luagate.kernel.rule.conv;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Addresses to and from text exactly as HAProxy does it with the C library: {@code inet_pton},
 * {@code inet_ntop} and HAProxy's lenient {@code buf2ip}. Never resolves names.
 */
final class IpText {

    private IpText() {
    }

    /** inet_pton(AF_INET): four decimal octets, no leading zeros, nothing else; {@code null} if invalid. */
    static byte[] parseIpv4Strict(String s) {
        return parseIpv4Strict(s, 0, s.length());
    }

    private static byte[] parseIpv4Strict(String s, int from, int to) {
        byte[] out = new byte[4];
        int octets = 0;
        int value = 0;
        boolean sawDigit = false;
        for (int i = from; i < to; i++) {
            char ch = s.charAt(i);
            if (ch >= '0' && ch <= '9') {
                if (sawDigit && value == 0) {
                    return null;
                }
                value = value * 10 + (ch - '0');
                if (value > 255) {
                    return null;
                }
                if (!sawDigit) {
                    if (++octets > 4) {
                        return null;
                    }
                    sawDigit = true;
                }
                out[octets - 1] = (byte) value;
            } else if (ch == '.' && sawDigit) {
                if (octets == 4) {
                    return null;
                }
                value = 0;
                sawDigit = false;
            } else {
                return null;
            }
        }
        return octets == 4 ? out : null;
    }

    /**
     * HAProxy's buf2ip(): dotted IPv4 read up to the first character that is neither a digit nor a
     * dot (so "10.1.2.3abc" is 10.1.2.3); leading zeros are accepted. {@code null} if invalid.
     */
    static byte[] parseIpv4Lenient(String s) {
        byte[] out = new byte[4];
        int octets = 0;
        int value = 0;
        boolean sawDigit = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            boolean digit = ch >= '0' && ch <= '9';
            if (!digit && ch != '.') {
                break;
            }
            if (digit) {
                value = value * 10 + (ch - '0');
                if (value > 255) {
                    return null;
                }
                if (!sawDigit) {
                    if (++octets > 4) {
                        return null;
                    }
                    sawDigit = true;
                }
                out[octets - 1] = (byte) value;
            } else if (sawDigit) {
                if (octets == 4) {
                    return null;
                }
                value = 0;
                sawDigit = false;
            } else {
                return null;
            }
        }
        return octets == 4 ? out : null;
    }

    /** inet_pton(AF_INET6) as glibc does it (hex groups, one "::", an optional dotted IPv4 tail). */
    static byte[] parseIpv6(String s) {
        int n = s.length();
        if (n == 0) {
            return null;
        }
        byte[] out = new byte[16];
        int tp = 0;
        int colonp = -1;
        int i = 0;
        if (s.charAt(0) == ':') {
            i++;
            if (i == n || s.charAt(i) != ':') {
                return null;
            }
        }
        int curtok = i;
        int digits = 0;
        int value = 0;
        while (i < n) {
            char ch = s.charAt(i++);
            int digit = Character.digit(ch, 16);
            if (digit >= 0 && ch < 128) {
                if (digits == 4) {
                    return null;
                }
                value = (value << 4) | digit;
                digits++;
                continue;
            }
            if (ch == ':') {
                curtok = i;
                if (digits == 0) {
                    if (colonp >= 0) {
                        return null;
                    }
                    colonp = tp;
                    continue;
                } else if (i == n) {
                    return null;
                }
                if (tp + 2 > 16) {
                    return null;
                }
                out[tp++] = (byte) (value >> 8);
                out[tp++] = (byte) value;
                digits = 0;
                value = 0;
                continue;
            }
            if (ch == '.' && tp + 4 <= 16) {
                byte[] v4 = parseIpv4Strict(s, curtok, n);
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 0, out, tp, 4);
                tp += 4;
                digits = 0;
                break;
            }
            return null;
        }
        if (digits > 0) {
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
            int moved = tp - colonp;
            System.arraycopy(out, colonp, out, 16 - moved, moved);
            Arrays.fill(out, colonp, 16 - moved, (byte) 0);
            tp = 16;
        }
        return tp == 16 ? out : null;
    }

    /** inet_ntop(): dotted quad, or glibc's IPv6 text (longest zero run as "::", embedded IPv4). */
    static String format(InetAddress address) {
        byte[] a = address.getAddress();
        return a.length == 4 ? formatIpv4(a, 0) : formatIpv6(a);
    }

    private static String formatIpv4(byte[] a, int from) {
        return (a[from] & 0xff) + "." + (a[from + 1] & 0xff) + "." + (a[from + 2] & 0xff) + "." + (a[from + 3] & 0xff);
    }

    private static String formatIpv6(byte[] a) {
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
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
        StringBuilder out = new StringBuilder(39);
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
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff))) {
                out.append(formatIpv4(a, 12));
                return out.toString();
            }
            out.append(Integer.toHexString(words[i]));
        }
        if (bestBase != -1 && bestBase + bestLen == 8) {
            out.append(':');
        }
        return out.toString();
    }

    /** An IPv4 address from its 4 bytes (no name service involved). */
    static Inet4Address ipv4(byte[] bytes) {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An IPv6 address from its 16 bytes, kept IPv6 even when it is IPv4-mapped. */
    static Inet6Address ipv6(byte[] bytes) {
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** HAProxy's c_ipv62ip(): the IPv4 address inside an IPv4-mapped IPv6 one (::ffff:a.b.c.d), else null. */
    static Inet4Address unmapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return null;
            }
        }
        if (v6[10] != (byte) 0xff || v6[11] != (byte) 0xff) {
            return null;
        }
        return ipv4(new byte[] {v6[12], v6[13], v6[14], v6[15]});
    }
}
