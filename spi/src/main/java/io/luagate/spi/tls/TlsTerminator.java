package io.luagate.spi.tls;

import io.luagate.spi.config.ConfigSection;
import org.pf4j.ExtensionPoint;

/**
 * The plugin that terminates TLS on binds written {@code { address = ..., ssl = true, ... }} and
 * speaks TLS to servers written the same way.
 * The kernel reads a bind's {@code address}, {@code thread} and {@code ssl}; every other key of a
 * TLS bind ({@code crt}, {@code verify}, {@code alpn}...) is this plugin's to read and check. A TLS
 * bind with no such plugin loaded stops the start, naming the plugin ({@code tls}).
 *
 * <p>On a TLS server the kernel reads {@code address}, {@code ssl} and {@code sni} (a sample
 * expression it evaluates per stream); {@code verify}, {@code ca-file}, {@code crl-file}, {@code
 * verifyhost}, {@code crt}, {@code alpn}, {@code ssl-min-ver}, {@code ssl-max-ver}, {@code ciphers}
 * and {@code ciphersuites} are this plugin's.
 *
 * <p>{@link #bind} and {@link #origin} run at load (also under {@code luagate check}), never on an event loop: it may
 * read files.
 */
public interface TlsTerminator extends ExtensionPoint {

    /**
     * Compiles one TLS bind: reads and checks its keys in {@code bind} (problems are recorded
     * there, with the file and line of the value), loads its certificates.
     *
     * @return the compiled bind, or {@code null} when a problem was recorded
     */
    TlsListener bind(ConfigSection bind, TlsBindContext context);

    /**
     * Compiles one TLS server: reads and checks its keys in {@code server} (problems are recorded
     * there, with the file and line of the value), loads its CAs and client certificate.
     *
     * @return the compiled server, or {@code null} when a problem was recorded
     */
    TlsOrigin origin(ConfigSection server, TlsOriginContext context);

    /**
     * Loads the certificates of every TLS bind again now ({@code crt}, {@code crt-list} and the
     * files it lists, {@code ca-file}, {@code crl-file}), whether their files changed or not: an
     * admin API's "reload certificates". New connections get what was loaded; open ones keep theirs;
     * a bind whose files do not load keeps the certificates it served. Reads files: call it from a
     * thread of your own, never from an event loop.
     *
     * @throws UnsupportedOperationException when the plugin cannot reload
     */
    default CertificateReload reloadCertificates() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot reload certificates");
    }

    /**
     * The TLS library this plugin uses, with its version, for {@code luagate version -vv} (for
     * example {@code "OpenSSL 3.0.15"} or {@code "JDK 25"}), as the plugin's current settings choose it.
     */
    default String engine() {
        return "unknown";
    }
}
