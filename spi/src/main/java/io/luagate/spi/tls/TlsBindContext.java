package io.luagate.spi.tls;

import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link TlsTerminator} knows of a bind beyond its keys.
 *
 * @param frontend             the frontend's name, for messages
 * @param home                 the distribution's home: relative file names are resolved against it
 * @param applicationProtocols the ALPN ids the frontend's codec speaks, most preferred first; empty
 *                             when it carries any bytes (mode tcp), so the bind's {@code alpn} is
 *                             offered as written
 * @param handshakeTimeoutMillis how long a client may take to finish its handshake (the
 *                             frontend's {@code timeout.client}, as HAProxy has it)
 */
public record TlsBindContext(String frontend, Path home, List<String> applicationProtocols,
                             long handshakeTimeoutMillis) {

    public TlsBindContext {
        applicationProtocols = List.copyOf(applicationProtocols);
    }
}
