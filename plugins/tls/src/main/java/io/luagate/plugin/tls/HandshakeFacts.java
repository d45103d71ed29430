package io.luagate.plugin.tls;

import io.luagate.spi.tls.TlsSession;
import java.security.cert.X509Certificate;

/** What one finished handshake established; see {@link TlsSession}. */
record HandshakeFacts(String serverName, String protocol, String cipher, String applicationProtocol,
                      X509Certificate clientCertificate, long verifyResult) implements TlsSession {
}
