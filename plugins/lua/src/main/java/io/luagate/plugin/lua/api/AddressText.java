package io.luagate.plugin.lua.api;

import java.util.Arrays;

/**
 * Numeric IPv4 and IPv6 addresses read from text the way glibc's {@code inet_pton} reads them,
 * which is what HAProxy's {@code str2net} and {@code str62net} call. Never a name look-up.
 *
 * <p>IPv4: exactly four decimal parts 0..255, no leading zeros, nothing else. IPv6: up to eight
 * groups of one to four hex digits, at most one {@code ::}, optionally ending in an IPv4 dotted
 * quad; no zone, no brackets.
 */
final class AddressText {

    private AddressText() {
    }

    /** Reads {@code text[from, to)} as an IPv4 address into {@code out[0..4)}; false if it is not one. */
    static boolean ipv4(byte[] text, int from, int to, byte[] out, int outOffset) {
        int parts = 0;
        int value = 0;
        boolean inPart = false;
        for (int i = from; i < to; i++) {
            int c = text[i];
            if (c >= '0' && c <= '9') {
                if (inPart && value == 0) {
                    return false; // a leading zero
                }
                value = value * 10 + (c - '0');
                if (value > 255) {
                    return false;
                }
                if (!inPart) {
                    if (++parts > 4) {
                        return false;
                    }
                    inPart = true;
                }
            } else if (c == '.' && inPart) {
                if (parts == 4) {
                    return false;
                }
                out[outOffset + parts - 1] = (byte) value;
                value = 0;
                inPart = false;
            } else {
                return false;
            }
        }
        if (parts < 4 || !inPart) {
            return false;
        }
        out[outOffset + 3] = (byte) value;
        return true;
    }

    /** Reads {@code text[from, to)} as an IPv6 address into {@code out[0..16)}; false if it is not one. */
    static boolean ipv6(byte[] text, int from, int to, byte[] out) {
        byte[] tmp = new byte[16];
        int filled = 0;
        int gap = -1; // where "::" stands, as an index into tmp
        int i = from;
        if (i == to) {
            return false;
        }
        if (text[i] == ':') {
            // A leading colon is only valid as the first half of "::".
            if (i + 1 == to || text[i + 1] != ':') {
                return false;
            }
            i++;
        }
        int groupStart = i;
        int digits = 0;
        int value = 0;
        while (i < to) {
            int c = text[i++];
            int hex = Character.digit(c, 16);
            if (hex >= 0 && c < 128) {
                if (digits == 4) {
                    return false;
                }
                value = (value << 4) | hex;
                digits++;
                continue;
            }
            if (c == ':') {
                groupStart = i;
                if (digits == 0) {
                    if (gap >= 0) {
                        return false;
                    }
                    gap = filled;
                    continue;
                }
                if (i == to || filled + 2 > 16) {
                    return false; // a trailing single colon, or a ninth group
                }
                tmp[filled++] = (byte) (value >> 8);
                tmp[filled++] = (byte) value;
                digits = 0;
                value = 0;
                continue;
            }
            if (c == '.' && filled + 4 <= 16 && ipv4(text, groupStart, to, tmp, filled)) {
                filled += 4;
                digits = 0;
                break;
            }
            return false;
        }
        if (digits > 0) {
            if (filled + 2 > 16) {
                return false;
            }
            tmp[filled++] = (byte) (value >> 8);
            tmp[filled++] = (byte) value;
        }
        if (gap >= 0) {
            if (filled == 16) {
                return false; // "::" must stand for at least one zero group
            }
            int tail = filled - gap;
            System.arraycopy(tmp, gap, tmp, 16 - tail, tail);
            Arrays.fill(tmp, gap, 16 - tail, (byte) 0);
            filled = 16;
        }
        if (filled != 16) {
            return false;
        }
        System.arraycopy(tmp, 0, out, 0, 16);
        return true;
    }
}
