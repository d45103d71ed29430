package io.luagate.spi.stream;

import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.proxy.Listener;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * One accepted client connection. A session lives on one event loop; every method must be
 * called from that loop. It carries zero or more {@link Stream}s (one per HTTP request, one for a
 * TCP connection).
 */
public interface Session {

    Frontend frontend();

    /** The bind that accepted this connection. */
    Listener listener();

    /** The client connection. */
    Channel channel();

    InetSocketAddress clientAddress();

    /** The address the client connected to. */
    InetSocketAddress localAddress();

    /** How many streams this session started so far; 0 before the first. */
    int streamCount();

    /** Starts a stream: its timers start now. */
    Stream newStream();

    /** Whether the process is draining (SIGTERM): codecs stop keeping connections alive. */
    boolean draining();
}
