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
 * @param tlsSettings   the compiled TLS settings the connection was made with (CAs, verification,
 *                      client certificate, ALPN), compared as {@code equals} has it (by identity
 *                      for a server's settings), or {@code null} when they need no telling apart
 * @param protocol      the application protocol spoken from the first byte ({@code "h2"} for a
 *                      server written {@code proto = h2}), or {@code null} when the codec's default
 *                      or ALPN (whose offer is part of {@code tlsSettings}) decides it
 */
public record UpstreamKey(InetSocketAddress address, boolean tls, String sni,
                          InetSocketAddress sourceAddress, int proxyProtocol, String partition, Object tlsSettings,
                          String protocol) {

    /** A destination whose protocol is the codec's default or ALPN's choice. */
    public UpstreamKey(InetSocketAddress address, boolean tls, String sni, InetSocketAddress sourceAddress,
                       int proxyProtocol, String partition, Object tlsSettings) {
        this(address, tls, sni, sourceAddress, proxyProtocol, partition, tlsSettings, null);
    }

    /** A destination whose TLS settings, if any, are all in {@code tls} and {@code sni}. */
    public UpstreamKey(InetSocketAddress address, boolean tls, String sni, InetSocketAddress sourceAddress,
                       int proxyProtocol, String partition) {
        this(address, tls, sni, sourceAddress, proxyProtocol, partition, null, null);
    }

    /** A plain-TCP destination with no source binding or PROXY protocol. */
    public static UpstreamKey plain(InetSocketAddress address, String partition) {
        return new UpstreamKey(address, false, null, null, 0, partition, null, null);
    }

    /** A TLS destination made with {@code settings}, sending {@code sni} (or none when {@code null}). */
    public static UpstreamKey tls(InetSocketAddress address, String sni, String partition, Object settings) {
        return new UpstreamKey(address, true, sni, null, 0, partition, settings, null);
    }

    /** This destination spoken to in {@code protocol} from the first byte ({@code null}: the default). */
    public UpstreamKey withProtocol(String protocol) {
        return new UpstreamKey(address, tls, sni, sourceAddress, proxyProtocol, partition, tlsSettings, protocol);
    }
}
