package io.luagate.spi.stream;

import io.luagate.spi.pool.UpstreamKey;
import io.luagate.spi.proxy.Server;
import io.netty.channel.Channel;

/**
 * A connection to a server, owned by one stream at a time.
 *
 * @param channel the connection, with the backend codec's handlers installed
 * @param server  the server it goes to
 * @param key     its full destination identity, used to pool it
 * @param reused  whether it served an earlier request before this stream got it
 */
public record UpstreamConnection(Channel channel, Server server, UpstreamKey key, boolean reused) {
}
