package io.luagate.spi.proxy;

import java.net.InetSocketAddress;

/** One {@code bind} entry of a frontend. Safe to read from any thread. */
public interface Listener {

    /** The address it listens on: the port really bound once luagate listens (for a bind to port 0). */
    InetSocketAddress address();

    /**
     * Whether {@code global.maxconn} holds it back now: new clients wait in the system's accept
     * queue until a connection closes (HAProxy's WAITING).
     */
    boolean limited();

    /**
     * The protocol its connections speak from their first byte, as the bind's {@code proto} names
     * it ({@code h2}: HTTP/2 with prior knowledge; {@code h1}), or {@code null}: the codec's own,
     * or the one TLS's ALPN chose.
     */
    String protocol();
}
