package io.luagate.plugin.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The blocks of one PEM file: its certificates in order, its private key, if any, and its
 * certificate revocation lists ({@code crl-file}). Keys are read
 * in PKCS#8 ({@code BEGIN PRIVATE KEY}, what {@code openssl} writes since 3.0); RSA, EC and EdDSA.
 */
record PemFile(Path path, List<X509Certificate> certificates, PrivateKey key, List<X509CRL> crls) {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"};

    /** @throws IOException with a sentence naming what is wrong, when the file cannot be used */
    static PemFile read(Path path) throws IOException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.US_ASCII);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException("is not a PEM file (it holds binary data)");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        List<X509CRL> crls = new ArrayList<>();
        PrivateKey key = null;
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            String type = block.group(1);
            byte[] der = Base64.getMimeDecoder().decode(block.group(2));
            switch (type) {
                case "CERTIFICATE", "TRUSTED CERTIFICATE" -> certificates.add(certificate(der));
                case "X509 CRL" -> crls.add(crl(der));
                case "PRIVATE KEY" -> {
                    if (key != null) {
                        throw new IOException("holds more than one private key");
                    }
                    key = key(der);
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IOException("holds a " + type.toLowerCase()
                        .replace("private key", "key") + " in the traditional format; convert it to PKCS#8 with"
                        + " 'openssl pkcs8 -topk8 -nocrypt'");
                case "ENCRYPTED PRIVATE KEY" -> throw new IOException("holds an encrypted private key: HAProxy "
                        + "and luagate need it unencrypted");
                default -> {
                    // DH parameters, OCSP responses... are not certificates: HAProxy skips them here too.
                }
            }
        }
        return new PemFile(path, List.copyOf(certificates), key, List.copyOf(crls));
    }

    private static X509CRL crl(byte[] der) throws IOException {
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IOException("holds a revocation list that cannot be read (" + e.getMessage() + ")");
        }
    }

    private static X509Certificate certificate(byte[] der) throws IOException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IOException("holds a certificate that cannot be read (" + e.getMessage() + ")");
        }
    }

    private static PrivateKey key(byte[] der) throws IOException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // Try the next algorithm: PKCS#8 names it inside, but the JDK wants it up front.
            }
        }
        throw new IOException("holds a private key that cannot be read (not RSA, EC or EdDSA in PKCS#8)");
    }
}
