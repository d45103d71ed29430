package io.luagate.spi.pool;

import java.net.InetSocketAddress;

/**
 * The full identity of an upstream destination. Two connections are interchangeable only when
 * their keys are {@code equals}: a pool never hands out a connection made for another key.
 *
 * @param address       the server's address and port
 * @param tls           whether the connection speaks TLS
 * @param sni           the TLS server name sent, or {@code null}
 * @param sourceAddress the local address bound, or {@code null} for the system's choice
 * @param proxyProtocol the PROXY protocol version sent first (0 = none)
 * @param partition     a name that splits pools further (the backend, plus a user-chosen pool
 *                      name); it never joins two destinations
 */
public record UpstreamKey(InetSocketAddress address, boolean tls, String sni,
                          InetSocketAddress sourceAddress, int proxyProtocol, String partition) {

    /** A plain-TCP destination with no source binding or PROXY protocol. */
    public static UpstreamKey plain(InetSocketAddress address, String partition) {
        return new UpstreamKey(address, false, null, null, 0, partition);
    }
}
