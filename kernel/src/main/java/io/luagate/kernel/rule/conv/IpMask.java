package io.luagate.kernel.rule.conv;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.match.IpAddresses;
import io.luagate.kernel.rule.sample.Args;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.sample.Samples;

/**
 * {@code ipmask(<mask4>[,<mask6>])}: masks an address. Masks are a prefix length or an address
 * (dotted IPv4, IPv6 text). IPv4-mapped IPv6 addresses are masked as IPv4; any other IPv6 address
 * fails without a mask6. Strings are parsed as addresses first (never resolved).
 */
final class IpMask {

    private IpMask() {
    }

    static void register(SampleRegistry registry) {
        registry.converter("ipmask", (args, context) -> {
            ConvArgs.count(args, 1, 2);
            byte[] mask4 = mask(args, 0, 4);
            byte[] mask6 = args.count() > 1 && !args.all().get(1).isEmpty() ? mask(args, 1, 16) : null;
            return (txn, input) -> {
                byte[] bytes = IpAddresses.castToAddress(input);
                if (bytes == null) {
                    return null;
                }
                if (bytes.length == 16) {
                    byte[] v4 = IpAddresses.v6ToV4(bytes);
                    if (v4 != null) {
                        bytes = v4;
                    }
                }
                if (bytes.length == 4) {
                    return IpAddresses.toInetAddress(and(bytes, mask4));
                }
                return mask6 == null ? null : IpAddresses.toInetAddress(and(bytes, mask6));
            };
        });
    }

    private static byte[] and(byte[] address, byte[] mask) {
        byte[] out = new byte[address.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (address[i] & mask[i]);
        }
        return out;
    }

    /** str2mask()/str2mask6(): an address if it holds a '.' (':' for IPv6), else a prefix length. */
    private static byte[] mask(Args args, int index, int size) throws RuleSyntaxException {
        String text = args.all().get(index);
        if (text.isEmpty()) {
            throw args.error("argument " + (index + 1) + " (mask) is empty");
        }
        boolean v4 = size == 4;
        if (text.indexOf(v4 ? '.' : ':') >= 0) {
            byte[] mask = v4 ? ipv4Strict(text) : IpAddresses.parseIpv6(text, 0, text.length());
            if (mask == null) {
                throw args.error("failed to parse '" + text + "' as " + (v4 ? "an IPv4" : "an IPv6") + " mask");
            }
            return mask;
        }
        Long length = strtolWhole(text);
        if (length == null || length < 0 || length > size * 8) {
            throw args.error("failed to parse '" + text + "' as " + (v4 ? "an IPv4" : "an IPv6") + " mask");
        }
        byte[] mask = new byte[size];
        for (int bit = 0; bit < length; bit++) {
            mask[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        return mask;
    }

    private static byte[] ipv4Strict(String text) {
        long v4 = IpAddresses.parseIpv4Strict(text, 0, text.length());
        return v4 == IpAddresses.INVALID ? null : IpAddresses.v4Bytes((int) v4);
    }

    /** strtol(s, &end, 10) that must consume everything: leading blanks and a sign are allowed. */
    private static Long strtolWhole(String text) {
        int i = 0;
        while (i < text.length() && (text.charAt(i) == ' ' || (text.charAt(i) >= '\t' && text.charAt(i) <= '\r'))) {
            i++;
        }
        String rest = text.substring(i);
        if (rest.isEmpty() || rest.equals("+") || rest.equals("-")) {
            return null;
        }
        return Samples.parseInt64(rest);
    }
}
