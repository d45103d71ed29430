package io.luagate.plugin.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Checks a server's certificate as HAProxy's {@code verify required} does: the chain against the
 * CAs (and revocation lists), then the name against the leaf: the SNI when one was sent, else
 * {@code verifyhost}, else no name at all (HAProxy checks none then). The SNI is the engine's peer
 * host: {@link ConnectingOrigin} opens engines on the SNI, or on the server's address (which is
 * never sent) when there is none. Names match the DNS entries of subjectAltName, then the CNs; a
 * {@code *} in the leftmost label covers one label.
 */
final class ServerNameCheck extends X509ExtendedTrustManager {

    private final X509TrustManager chain;
    /** {@code verifyhost}: the name checked when no SNI is sent, or {@code null}. */
    private final String verifyHost;

    ServerNameCheck(X509TrustManager chain, String verifyHost) {
        this.chain = chain;
        this.verifyHost = verifyHost == null ? null : verifyHost.toLowerCase(Locale.ROOT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType, SSLEngine engine)
            throws CertificateException {
        if (chain instanceof X509ExtendedTrustManager extended) {
            // The engine carries no endpoint identification: only the chain and its algorithms are checked here.
            extended.checkServerTrusted(certificates, authType, engine);
        } else {
            chain.checkServerTrusted(certificates, authType);
        }
        String peer = engine == null ? null : engine.getPeerHost();
        String name = peer != null && !isAddress(peer) ? peer.toLowerCase(Locale.ROOT) : verifyHost;
        if (name != null && !matches(certificates[0], name)) {
            throw new CertificateException("the server's certificate holds no name matching '" + name + "'");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
        checkServerTrusted(certificates, authType, (SSLEngine) null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(certificates, authType, (SSLEngine) null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("a server's trust checks no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("a server's trust checks no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
        throw new CertificateException("a server's trust checks no clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chain.getAcceptedIssuers();
    }

    /** Whether {@code host} is an IPv4 or IPv6 literal (what the engine is opened on when no SNI is sent). */
    static boolean isAddress(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }

    /** Whether {@code certificate} names {@code name} (lower case): subjectAltName DNS entries, then CNs. */
    static boolean matches(X509Certificate certificate, String name) throws CertificateException {
        List<String> names;
        try {
            names = ServerCertificate.names(certificate);
        } catch (IOException e) {
            throw new CertificateException(e.getMessage());
        }
        for (String pattern : names) {
            if (hostMatches(pattern, name)) {
                return true;
            }
        }
        // HAProxy tries the CNs too when no subjectAltName matched.
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")
                        && hostMatches(String.valueOf(rdn.getValue()).toLowerCase(Locale.ROOT), name)) {
                    return true;
                }
            }
        } catch (InvalidNameException e) {
            throw new CertificateException(e.getMessage());
        }
        return false;
    }

    /** HAProxy's host check: exact, or one {@code *} in the leftmost label, matching part of one label. */
    static boolean hostMatches(String pattern, String host) {
        if (pattern.equals(host)) {
            return true;
        }
        int star = pattern.indexOf('*');
        int patternLabelEnd = pattern.indexOf('.');
        if (star < 0 || patternLabelEnd < 0 || star > patternLabelEnd) {
            return false;
        }
        int hostLabelEnd = host.indexOf('.');
        if (hostLabelEnd <= 0 || !pattern.substring(patternLabelEnd).equals(host.substring(hostLabelEnd))) {
            return false;
        }
        String label = host.substring(0, hostLabelEnd);
        String prefix = pattern.substring(0, star);
        String suffix = pattern.substring(star + 1, patternLabelEnd);
        return label.length() >= prefix.length() + suffix.length() && label.startsWith(prefix) && label.endsWith(suffix);
    }
}
