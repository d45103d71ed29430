package io.luagate.plugin.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * One certificate a bind serves: the leaf, its chain and its key, as one PEM file holds them
 * (HAProxy's {@code crt}), with the names SNI selects it by.
 *
 * @param names the DNS names of its subjectAltName, or its CN when it has none; lower case,
 *              wildcards as written ({@code *.example.com})
 */
record ServerCertificate(Path file, List<X509Certificate> chain, PrivateKey key, List<String> names) {

    private static final int SAN_DNS = 2;

    /**
     * Reads {@code file} (and, when it holds no key, {@code <file>.key}, as HAProxy does) and checks
     * that it can be served now.
     *
     * @throws IOException with a sentence naming what is wrong
     */
    static ServerCertificate load(Path file, Instant now) throws IOException {
        PemFile pem = PemFile.read(file);
        if (pem.certificates().isEmpty()) {
            throw new IOException("holds no certificate");
        }
        PrivateKey key = pem.key();
        if (key == null) {
            Path keyFile = file.resolveSibling(file.getFileName() + ".key");
            if (!Files.isRegularFile(keyFile)) {
                throw new IOException("holds no private key (and there is no " + keyFile.getFileName() + ")");
            }
            key = PemFile.read(keyFile).key();
            if (key == null) {
                throw new IOException("holds no private key, nor does " + keyFile.getFileName());
            }
        }
        X509Certificate leaf = pem.certificates().get(0);
        if (!matches(key, leaf.getPublicKey())) {
            throw new IOException("its private key does not match its certificate (" + leaf.getSubjectX500Principal() + ")");
        }
        if (leaf.getNotAfter().toInstant().isBefore(now)) {
            throw new IOException("its certificate (" + leaf.getSubjectX500Principal() + ") expired on "
                    + leaf.getNotAfter().toInstant());
        }
        return new ServerCertificate(file, pem.certificates(), key, names(leaf));
    }

    /** Signs a few bytes with the key and checks them with the certificate's public key. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) throws IOException {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        byte[] probe = "luagate key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            if (algorithm.equals("RSASSA-PSS")) {
                signer.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            if (algorithm.equals("RSASSA-PSS")) {
                verifier.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            throw new IOException("its private key cannot be checked against its certificate (" + e.getMessage() + ")");
        }
    }

    /** SNI names: the DNS entries of subjectAltName, else the subject's CN (HAProxy's order). */
    static List<String> names(X509Certificate certificate) throws IOException {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    if (((Integer) entry.get(0)) == SAN_DNS) {
                        names.add(((String) entry.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new IOException("its subjectAltName cannot be read (" + e.getMessage() + ")");
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(String.valueOf(rdn.getValue()).toLowerCase(Locale.ROOT));
                    }
                }
            } catch (InvalidNameException e) {
                throw new IOException("its subject cannot be read (" + e.getMessage() + ")");
            }
        }
        return List.copyOf(names);
    }
}
