package io.luagate.plugin.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** A JDK TLS client for tests: trusts the test CA, may present a client certificate, SNI and ALPN of its choosing. */
final class TlsClient {

    private final TrustManagerFactory tmf;
    private final KeyManagerFactory kmf;

    /** @param clientPem a PEM with a client certificate and key, or {@code null} */
    TlsClient(Path caPem, Path clientPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (X509Certificate ca : PemFile.read(caPem).certificates()) {
            trust.setCertificateEntry("ca" + i++, ca);
        }
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        if (clientPem == null) {
            kmf = null;
        } else {
            PemFile pem = PemFile.read(clientPem);
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", pem.key(), "x".toCharArray(), pem.certificates().toArray(X509Certificate[]::new));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "x".toCharArray());
        }
    }

    /**
     * Connects and finishes the handshake. {@code sni} {@code null}: none sent; {@code protocols}
     * and {@code alpn} {@code null}: the JDK's defaults, none.
     */
    SSLSocket connect(InetSocketAddress address, String sni, List<String> protocols, List<String> alpn) throws IOException {
        // A context per connection: the JDK would otherwise resume the last session to this
        // address, whatever the SNI, and the test would see that session's certificate.
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(address.getAddress(), address.getPort());
        socket.setSoTimeout(5000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        // The test checks the certificate chosen, not its name against the SNI.
        parameters.setEndpointIdentificationAlgorithm(null);
        if (protocols != null) {
            parameters.setProtocols(protocols.toArray(String[]::new));
        }
        if (alpn != null) {
            parameters.setApplicationProtocols(alpn.toArray(String[]::new));
        }
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    /** Sends a line and reads the server's one-line answer. */
    static String ask(SSLSocket socket) throws IOException {
        socket.getOutputStream().write("?\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.append((char) b);
        }
        return line.toString();
    }

    static String commonName(SSLSocket socket) throws IOException {
        X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
        return leaf.getSubjectX500Principal().getName();
    }
}
