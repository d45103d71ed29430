package io.luagate.plugin.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.BiConsumer;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The CAs a peer's certificate is checked against ({@code ca-file}, or the JDK's trust store),
 * with the revocation lists of {@code crl-file}: with them, every certificate of the peer's chain
 * below the CA must be covered by a list of its issuer, as HAProxy asks OpenSSL (CRL_CHECK_ALL).
 * One factory serves both engines (Netty hands OpenSSL's checks to it).
 */
final class TrustedCas {

    private TrustedCas() {
    }

    /** The revocation lists of {@code file}. @throws IOException naming what is wrong */
    /**
     * The certificates of a {@code ca-file}, or {@code null} when it cannot be read or holds none
     * (then told to {@code problems} under the key {@code ca-file}, with the file's name).
     */
    static List<X509Certificate> caFile(Path file, BiConsumer<String, String> problems) {
        try {
            List<X509Certificate> cas = PemFile.read(file).certificates();
            if (cas.isEmpty()) {
                problems.accept("ca-file", file + ": holds no certificate");
                return null;
            }
            return cas;
        } catch (IOException e) {
            problems.accept("ca-file", file + ": " + BindCertificates.message(e));
            return null;
        }
    }

    static List<X509CRL> crls(Path file) throws IOException {
        List<X509CRL> crls = PemFile.read(file).crls();
        if (crls.isEmpty()) {
            throw new IOException("holds no certificate revocation list (X509 CRL)");
        }
        return crls;
    }

    /**
     * @param cas  the CAs; empty: the JDK's trust store
     * @param crls the revocation lists; empty: none checked
     */
    static TrustManagerFactory factory(List<X509Certificate> cas, List<X509CRL> crls) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        if (cas.isEmpty() && crls.isEmpty()) {
            factory.init((KeyStore) null);
            return factory;
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        List<X509Certificate> anchors = cas.isEmpty() ? systemCas() : cas;
        for (int i = 0; i < anchors.size(); i++) {
            store.setCertificateEntry("ca-" + i, anchors.get(i));
        }
        if (crls.isEmpty()) {
            factory.init(store);
            return factory;
        }
        PKIXBuilderParameters parameters = new PKIXBuilderParameters(store, new X509CertSelector());
        parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
        parameters.setRevocationEnabled(true);
        factory.init(new CertPathTrustManagerParameters(parameters));
        return factory;
    }

    /** The first X.509 manager of {@code factory}. */
    static X509TrustManager manager(TrustManagerFactory factory) {
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X.509 trust manager");
    }

    private static List<X509Certificate> systemCas() throws GeneralSecurityException {
        TrustManagerFactory system = TrustManagerFactory.getInstance("PKIX");
        system.init((KeyStore) null);
        return List.of(manager(system).getAcceptedIssuers());
    }
}
