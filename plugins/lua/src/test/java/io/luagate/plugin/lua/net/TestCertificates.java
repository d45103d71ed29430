package io.luagate.plugin.lua.net;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A self-signed server certificate made by the JDK's keytool, for TLS servers in tests. */
final class TestCertificates {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private TestCertificates() {
    }

    /**
     * A server-side TLS context with a fresh self-signed certificate for 127.0.0.1, stored under
     * {@code dir}; the certificate alone is also written there as {@code server.pem}, for clients to trust.
     */
    static SSLContext selfSignedServerContext(Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        Process export = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-exportcert", "-rfc", "-alias", "server", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-file", dir.resolve("server.pem").toString())
                .redirectErrorStream(true).start();
        String exported = new String(export.getInputStream().readAllBytes());
        if (!export.waitFor(60, TimeUnit.SECONDS) || export.exitValue() != 0) {
            throw new IllegalStateException("keytool -exportcert failed: " + exported);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }
}
