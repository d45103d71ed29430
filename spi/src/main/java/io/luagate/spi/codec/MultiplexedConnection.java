package io.luagate.spi.codec;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;

/**
 * A connection to a server that carries many streams at once (HTTP/2): each luagate stream takes
 * one stream of it, not the whole connection. Made by {@link Codec#multiplex}; the kernel keeps it
 * per event loop, under its destination key, and opens streams on it while it {@link #canOpen can}.
 * Confined to its channel's event loop.
 */
public interface MultiplexedConnection {

    /** The connection itself. */
    Channel channel();

    /**
     * Whether a new stream may start on it now: alive, not told to go away, below the number of
     * concurrent streams the server allows.
     */
    boolean canOpen();

    /** Streams open on it now. */
    int openStreams();

    /** Streams that ran to their end on it so far (HAProxy's "reused at least once" for {@code aggressive}). */
    long completedStreams();

    /**
     * Opens a stream. Its channel looks to the codec's exchange like a connection of its own (the
     * same handlers as {@link Codec#initUpstream} leaves, {@code autoRead} off); closing it ends the
     * stream (a reset when it is not over) and never the connection. Its {@link Channel#parent()} is
     * {@link #channel()}.
     */
    Future<Channel> open();
}
