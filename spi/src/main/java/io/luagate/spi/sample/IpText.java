package io.luagate.spi.sample;

/**
 * Addresses as text the way HAProxy writes them: with glibc's {@code inet_ntop()}, which is what
 * its casts {@code c_ip2str} and {@code c_ipv62str} call. Reading addresses from text (HAProxy's
 * {@code buf2ip}, {@code inet_pton}) is the kernel's business and is not part of the SPI.
 */
public final class IpText {

    private IpText() {
    }

    /**
     * {@code inet_ntop()} of 4 or 16 network-order bytes.
     *
     * <ul>
     *   <li>IPv4: dotted decimal, {@code 10.0.0.1}.</li>
     *   <li>IPv6: lower-case hex groups without leading zeros; the longest run of two or more
     *       zero groups (the first of equal runs) becomes {@code ::}; an IPv4-compatible
     *       ({@code ::a.b.c.d}) or IPv4-mapped ({@code ::ffff:a.b.c.d}) address ends in dotted
     *       decimal. So {@code ::1}, {@code 2001:db8::1:0:0:1}, {@code ::ffff:1.2.3.4}; never
     *       Java's long form {@code 0:0:0:0:0:0:0:1}.</li>
     * </ul>
     *
     * @throws IllegalArgumentException if {@code address} is neither 4 nor 16 bytes long
     */
    public static String format(byte[] address) {
        if (address.length == 4) {
            return appendIpv4(new StringBuilder(15), address, 0).toString();
        }
        if (address.length != 16) {
            throw new IllegalArgumentException("not an address: " + address.length + " bytes");
        }
        // the longest run of zero groups, the first one on a tie; only runs of 2 or more count
        int bestBase = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (group(address, i) != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && group(address, i) == 0) {
                i++;
            }
            if (i - start > bestLen) {
                bestBase = start;
                bestLen = i - start;
            }
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestBase) {
                out.append(':');
                i += bestLen - 1;
                continue;
            }
            if (i != 0) {
                out.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && group(address, 5) == 0xFFFF))) {
                return appendIpv4(out, address, 12).toString();
            }
            out.append(Integer.toHexString(group(address, i)));
        }
        if (bestBase != -1 && bestBase + bestLen == 8) {
            out.append(':');
        }
        return out.toString();
    }

    private static int group(byte[] address, int index) {
        return ((address[2 * index] & 0xFF) << 8) | (address[2 * index + 1] & 0xFF);
    }

    private static StringBuilder appendIpv4(StringBuilder out, byte[] bytes, int offset) {
        return out.append(bytes[offset] & 0xFF).append('.').append(bytes[offset + 1] & 0xFF).append('.')
                .append(bytes[offset + 2] & 0xFF).append('.').append(bytes[offset + 3] & 0xFF);
    }
}
