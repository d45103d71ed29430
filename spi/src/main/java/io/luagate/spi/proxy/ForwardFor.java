package io.luagate.spi.proxy;

import java.net.InetAddress;

/**
 * HAProxy's {@code option forwardfor [except <network>] [header <name>] [if-none]} of one proxy.
 * A stream adds the header when its frontend or its backend has the option: with the backend's
 * header name if the backend has it, else the frontend's; not when the client address is in the
 * frontend's or the backend's {@code except} network; and not when the request already carries
 * the header and neither proxy asked for it without {@code if-none}.
 *
 * @param header        the header's name ({@code x-forwarded-for} by default)
 * @param exceptNetwork the {@code except} network's address (4 or 16 bytes), or {@code null}
 * @param exceptPrefix  how many leading bits of {@code exceptNetwork} count
 * @param ifNone        {@code if-none}: only when the request has no such header
 */
public record ForwardFor(String header, byte[] exceptNetwork, int exceptPrefix, boolean ifNone) {

    /** {@code option forwardfor} without arguments. */
    public static final ForwardFor DEFAULT = new ForwardFor("x-forwarded-for", null, 0, false);

    /** Whether {@code client} is in the {@code except} network (an address of the other family never is). */
    public boolean excepts(InetAddress client) {
        if (exceptNetwork == null) {
            return false;
        }
        byte[] address = client.getAddress();
        if (address.length != exceptNetwork.length) {
            return false;
        }
        int bits = exceptPrefix;
        for (int i = 0; i < address.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
            if ((address[i] & mask) != (exceptNetwork[i] & mask)) {
                return false;
            }
        }
        return true;
    }
}
