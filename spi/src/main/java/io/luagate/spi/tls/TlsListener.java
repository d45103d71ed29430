package io.luagate.spi.tls;

import io.netty.channel.Channel;

/** One compiled TLS bind. Shared by the bind's sockets on every event loop: it must be thread-safe. */
public interface TlsListener {

    /**
     * Puts the TLS handlers first in an accepted connection's pipeline, before the codec installs
     * its own. Runs on the channel's event loop, before it is active; {@code autoRead} is off, and
     * the codec's read requests drive the handshake. Once the handshake is done the channel carries
     * a {@link TlsSession} in {@link TlsSession#ATTRIBUTE}; a failed handshake closes the channel.
     */
    void install(Channel channel);

    /** Releases what the bind holds (native contexts). Called once, when luagate stops. */
    default void close() {
    }
}
