package io.luagate.plugin.tls;

import io.luagate.spi.tls.TlsSession;
import io.netty.handler.ssl.CipherSuiteConverter;
import java.security.cert.X509Certificate;

/** What one finished handshake established; see {@link TlsSession}. */
record HandshakeFacts(String serverName, String protocol, String cipher, String applicationProtocol,
                      X509Certificate clientCertificate, long verifyResult) implements TlsSession {

    /** The cipher as OpenSSL names it, from the engine's (Java) name. */
    static String openSslCipher(String cipher) {
        // TLS 1.3 suites have one name everywhere (BoringSSL's own AEAD-... names are not OpenSSL's).
        String openSsl = cipher.startsWith("TLS_") && ProtocolChoice.TLS13_SUITES.contains(cipher) ? cipher
                : CipherSuiteConverter.toOpenSsl(cipher, false);
        return openSsl != null ? openSsl : cipher;
    }
}
