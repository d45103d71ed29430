package io.luagate.spi.proxy;

import java.net.InetSocketAddress;

/** One server of a backend. Its address and weight are fixed; its up/down state may change at run time. */
public interface Server {

    String name();

    /** The destination; {@code 0.0.0.0:0} means "the destination set per request" (set-dst). */
    InetSocketAddress address();

    /** Relative share of the traffic, 1..256 (HAProxy's range). */
    int weight();

    /** Whether the balancer may pick this server now. */
    boolean isUp();
}
