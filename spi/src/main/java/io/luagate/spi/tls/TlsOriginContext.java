package io.luagate.spi.tls;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link TlsTerminator} knows of a server beyond its keys.
 *
 * @param backend                the backend's name, for messages
 * @param server                 the server's name, for messages
 * @param address                the server's address as written (never sent as SNI)
 * @param home                   the distribution's home: relative file names are resolved against it
 * @param applicationProtocols   the ALPN ids the backend's codec speaks to servers, most preferred
 *                               first; empty when it carries any bytes (mode tcp), so the server's
 *                               {@code alpn} is offered as written
 * @param handshakeTimeoutMillis how long the handshake may take (the backend's {@code
 *                               timeout.connect}: HAProxy counts it in the connect)
 */
public record TlsOriginContext(String backend, String server, InetSocketAddress address, Path home,
                               List<String> applicationProtocols, long handshakeTimeoutMillis) {

    public TlsOriginContext {
        applicationProtocols = List.copyOf(applicationProtocols);
    }
}
