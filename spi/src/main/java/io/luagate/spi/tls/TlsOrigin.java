package io.luagate.spi.tls;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;

/**
 * One server's compiled TLS settings ({@code ssl = true} on a server). Shared by the server's
 * connections on every event loop: it must be thread-safe. The kernel uses the instance itself as
 * part of the connections' pool key, so connections made with different settings never mix.
 */
public interface TlsOrigin {

    /**
     * Starts a client handshake on a freshly connected upstream channel: puts the TLS handlers
     * first in its pipeline, ahead of the backend codec's. Runs on the channel's event loop; {@code
     * autoRead} is off and the handshake asks for the reads it needs. Bytes the server sends after
     * the handshake are held until the returned future's listeners have run, so the codec's owner
     * is ready for them.
     *
     * @param serverName the name sent as SNI and, with verification on, checked against the
     *                   server's certificate; {@code null} to send none (the name checked is
     *                   then the server's {@code verifyhost}, or none, as in HAProxy)
     * @return completes once the handshake is done, the channel then carrying a {@link TlsSession}
     *         in {@link TlsSession#ATTRIBUTE} (its {@code serverName} the name sent); fails (and the channel is closed) when it
     *         fails or times out, with a cause saying why
     */
    Future<Channel> handshake(Channel channel, String serverName);

    /** Releases what the server's settings hold (native contexts). Called once, when luagate stops. */
    default void close() {
    }
}
