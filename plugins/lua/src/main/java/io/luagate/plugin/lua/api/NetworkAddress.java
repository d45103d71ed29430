package io.luagate.plugin.lua.api;

import java.util.Arrays;

/**
 * A network as {@code core.parse_addr} makes it: an IPv4 or IPv6 address with its mask, both in
 * network byte order (4 or 16 bytes each). The address is kept as written; the mask is applied
 * only when comparing, as HAProxy's {@code struct net_addr} does.
 */
record NetworkAddress(byte[] ip, byte[] mask) {

    boolean ipv4() {
        return ip.length == 4;
    }

    /**
     * HAProxy's {@code hlua_match_addr}: the two networks overlap when each address, masked by the
     * other's mask, gives the same bits. Symmetric. Different families never match (an IPv4
     * network and its IPv4-mapped IPv6 form included), as in HAProxy.
     */
    boolean overlaps(NetworkAddress other) {
        if (ip.length != other.ip.length) {
            return false;
        }
        for (int i = 0; i < ip.length; i++) {
            if ((ip[i] & other.mask[i]) != (other.ip[i] & mask[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads {@code a.b.c.d[/mask]} (mask as a prefix length 0..32 or dotted, any bits) or
     * {@code ipv6[/length]} (0..128), HAProxy's {@code str2net} then {@code str62net}, without
     * their name look-up. The text ends at its first NUL byte, as a C string does.
     *
     * @return the network, or {@code null} if the text is neither
     */
    static NetworkAddress parse(byte[] text, int offset, int length) {
        int end = offset;
        while (end < offset + length && text[end] != 0) {
            end++;
        }
        int slash = -1;
        for (int i = end - 1; i >= offset; i--) {
            if (text[i] == '/') {
                slash = i;
                break;
            }
        }
        int addressEnd = slash < 0 ? end : slash;
        NetworkAddress v4 = ipv4(text, offset, addressEnd, slash, end);
        return v4 != null ? v4 : ipv6(text, offset, addressEnd, slash, end);
    }

    private static NetworkAddress ipv4(byte[] text, int from, int addressEnd, int slash, int end) {
        byte[] mask = new byte[4];
        if (slash < 0) {
            Arrays.fill(mask, (byte) 0xFF);
        } else if (contains(text, slash + 1, end, '.')) {
            if (!AddressText.ipv4(text, slash + 1, end, mask, 0)) {
                return null;
            }
        } else {
            int bits = prefixLength(text, slash + 1, end, 32);
            if (bits < 0) {
                return null;
            }
            fillMask(mask, bits);
        }
        byte[] ip = new byte[4];
        return AddressText.ipv4(text, from, addressEnd, ip, 0) ? new NetworkAddress(ip, mask) : null;
    }

    private static NetworkAddress ipv6(byte[] text, int from, int addressEnd, int slash, int end) {
        int bits = 128;
        if (slash >= 0) {
            bits = prefixLength(text, slash + 1, end, 128);
            if (bits < 0) {
                return null;
            }
        }
        byte[] ip = new byte[16];
        if (!AddressText.ipv6(text, from, addressEnd, ip)) {
            return null;
        }
        byte[] mask = new byte[16];
        fillMask(mask, bits);
        return new NetworkAddress(ip, mask);
    }

    /**
     * A prefix length as C's {@code strtol}/{@code strtoul} read it in HAProxy (leading blanks and a
     * sign allowed, then digits up to the end); -1 if empty, not a number, negative or above
     * {@code max}. ("-0" is 0, as in C.)
     */
    private static int prefixLength(byte[] text, int from, int to, int max) {
        int i = from;
        while (i < to && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) {
            i++;
        }
        boolean negative = false;
        if (i < to && (text[i] == '+' || text[i] == '-')) {
            negative = text[i] == '-';
            i++;
        }
        if (i == to) {
            return -1;
        }
        long value = 0;
        for (; i < to; i++) {
            int d = text[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = Math.min(value * 10 + d, Integer.MAX_VALUE);
        }
        if ((negative && value != 0) || value > max) {
            return -1;
        }
        return (int) value;
    }

    private static void fillMask(byte[] mask, int bits) {
        for (int i = 0; i < mask.length; i++) {
            int left = bits - 8 * i;
            mask[i] = (byte) (left >= 8 ? 0xFF : left <= 0 ? 0 : 0xFF << (8 - left));
        }
    }

    private static boolean contains(byte[] text, int from, int to, char c) {
        for (int i = from; i < to; i++) {
            if (text[i] == c) {
                return true;
            }
        }
        return false;
    }
}
