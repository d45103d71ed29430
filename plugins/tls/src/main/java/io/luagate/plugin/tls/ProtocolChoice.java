package io.luagate.plugin.tls;

import io.luagate.spi.config.ConfigSection;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The versions and ciphers of a bind or of a server, HAProxy's {@code ssl-min-ver}, {@code
 * ssl-max-ver}, {@code ciphers} and {@code ciphersuites}, read and checked the same way on both.
 *
 * @param protocols    the versions from {@code ssl-min-ver} to {@code ssl-max-ver}, as the JDK names them
 * @param ciphers      {@code ciphers} (TLS 1.2 and older) as Java names, or {@code null} for the engine's defaults
 * @param cipherSuites {@code ciphersuites} (TLS 1.3), or {@code null} for the engine's defaults
 */
record ProtocolChoice(List<String> protocols, List<String> ciphers, List<String> cipherSuites) {

    /** HAProxy's version names, oldest first, and the JDK's. SSLv3 is spoken by neither engine: it means TLSv1.0. */
    static final List<String> HAPROXY_VERSIONS = List.of("SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    private static final List<String> JDK_VERSIONS = List.of("TLSv1", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    /** HAProxy's default minimum since 2.2 (ssl-default-bind-options and ssl-default-server-options). */
    private static final int DEFAULT_MIN = 3;
    /** The TLS 1.3 suites, by the names OpenSSL and the JDK share. */
    static final List<String> TLS13_SUITES = List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256");

    /** Reads the four keys of {@code section}; problems are recorded there. {@code null} when there was one. */
    static ProtocolChoice read(ConfigSection section) {
        int problems = 0;
        int min = version(section, "ssl-min-ver", DEFAULT_MIN);
        int max = version(section, "ssl-max-ver", HAPROXY_VERSIONS.size() - 1);
        if (min < 0 || max < 0) {
            problems++;
        } else if (min > max) {
            // HAProxy: "all SSL/TLS versions are disabled".
            section.problem("ssl-max-ver", HAPROXY_VERSIONS.get(max) + " is below ssl-min-ver "
                    + HAPROXY_VERSIONS.get(min) + ": all TLS versions are disabled");
            problems++;
        }
        List<String> ciphers = null;
        String cipherText = section.optionalString("ciphers");
        if (cipherText != null) {
            ciphers = new ArrayList<>();
            for (String name : cipherText.split(":")) {
                if (name.isEmpty()) {
                    continue;
                }
                String java = name.startsWith("TLS_") ? name : CipherSuiteConverter.toJava(name, "TLS");
                if (java == null || TLS13_SUITES.contains(name)) {
                    String hint = TLS13_SUITES.contains(name) ? " (TLS 1.3 suites go in ciphersuites)"
                            : name.matches("[A-Z0-9]+|.*[!+@].*")
                            ? " (cipher expressions such as HIGH or !aNULL are not supported: list the ciphers)" : "";
                    section.problem("ciphers", "'" + name + "' is not a TLS 1.2 cipher name OpenSSL knows" + hint);
                    problems++;
                } else {
                    ciphers.add(java);
                }
            }
        }
        List<String> suites = null;
        String suiteText = section.optionalString("ciphersuites");
        if (suiteText != null) {
            suites = new ArrayList<>();
            for (String name : suiteText.split(":")) {
                if (name.isEmpty()) {
                    continue;
                }
                if (!TLS13_SUITES.contains(name)) {
                    section.problem("ciphersuites", "'" + name + "' is not a TLS 1.3 suite (one of "
                            + String.join(", ", TLS13_SUITES) + ")");
                    problems++;
                } else {
                    suites.add(name);
                }
            }
        }
        if (problems > 0) {
            return null;
        }
        return new ProtocolChoice(List.copyOf(new LinkedHashSet<>(JDK_VERSIONS.subList(min, max + 1))),
                ciphers == null ? null : List.copyOf(ciphers), suites == null ? null : List.copyOf(suites));
    }

    /** The index of {@code key}'s version in {@link #HAPROXY_VERSIONS}, {@code fallback} when absent, -1 after a problem. */
    private static int version(ConfigSection section, String key, int fallback) {
        if (!section.has(key)) {
            return fallback;
        }
        String text = section.string(key);
        int index = HAPROXY_VERSIONS.indexOf(text);
        if (index < 0) {
            section.problem(key, "'" + text + "' is not one of " + String.join(", ", HAPROXY_VERSIONS));
        }
        return index;
    }

    /** Sets the versions and, when written, the ciphers on {@code builder}. */
    void apply(SslContextBuilder builder) throws SSLException {
        builder.protocols(protocols);
        if (ciphers == null && cipherSuites == null) {
            return;
        }
        List<String> chosen = new ArrayList<>();
        if (ciphers != null) {
            chosen.addAll(ciphers);
        } else {
            // Only ciphersuites was written: TLS 1.2 keeps the engine's own list.
            for (String name : defaults(builder)) {
                if (!TLS13_SUITES.contains(name)) {
                    chosen.add(name);
                }
            }
        }
        chosen.addAll(cipherSuites != null ? cipherSuites : TLS13_SUITES.subList(0, 3));
        builder.ciphers(chosen, SupportedCipherSuiteFilter.INSTANCE);
    }

    private static List<String> defaults(SslContextBuilder builder) throws SSLException {
        SslContext probe = builder.build();
        try {
            return probe.cipherSuites();
        } finally {
            ReferenceCountUtil.release(probe);
        }
    }
}
