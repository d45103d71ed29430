package io.luagate.plugin.tls;

import io.luagate.spi.config.ConfigSection;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.ClientAuth;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The TLS keys of one bind, read and checked: HAProxy's {@code bind} options of the same names.
 *
 * @param crt          the PEM files and directories, resolved against the home
 * @param caFile       the CAs client certificates are checked against, or {@code null}
 * @param verify       {@code verify none|optional|required}
 * @param protocols    the versions from {@code ssl-min-ver} up, as the JDK names them
 * @param ciphers      {@code ciphers} (TLS 1.2 and older) as Java names, or {@code null} for the engine's defaults
 * @param cipherSuites {@code ciphersuites} (TLS 1.3), or {@code null} for the engine's defaults
 * @param alpn         {@code alpn} as written, most preferred first
 */
record BindTlsSettings(List<Path> crt, Path caFile, ClientAuth verify, List<String> protocols,
                       List<String> ciphers, List<String> cipherSuites, List<String> alpn) {

    /** HAProxy's version names, oldest first, and the JDK's. SSLv3 is spoken by neither engine: it means TLSv1.0. */
    private static final List<String> HAPROXY_VERSIONS = List.of("SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    private static final List<String> JDK_VERSIONS = List.of("TLSv1", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    /** The TLS 1.3 suites, by the names OpenSSL and the JDK share. */
    static final List<String> TLS13_SUITES = List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256");

    /** Reads the keys of {@code bind}; problems are recorded there. {@code null} when there was one. */
    static BindTlsSettings read(ConfigSection bind, Path home) {
        int problems = 0;
        List<Path> crt = new ArrayList<>();
        if (!bind.has("crt")) {
            bind.problem("crt", "is required with ssl = true: a PEM file (certificate, chain and key) or a directory of them");
            problems++;
        } else {
            for (String name : bind.strings("crt")) {
                crt.add(home.resolve(name).normalize());
            }
            if (crt.isEmpty()) {
                bind.problem("crt", "is empty: at least one PEM file or directory is required");
                problems++;
            }
        }
        String caName = bind.optionalString("ca-file");
        Path caFile = caName == null ? null : home.resolve(caName).normalize();
        ClientAuth verify = ClientAuth.NONE;
        if (bind.has("verify")) {
            String text = bind.string("verify");
            switch (text) {
                case "none" -> verify = ClientAuth.NONE;
                case "optional" -> verify = ClientAuth.OPTIONAL;
                case "required" -> verify = ClientAuth.REQUIRE;
                default -> {
                    bind.problem("verify", "'" + text + "' is not one of none, optional, required");
                    problems++;
                }
            }
        }
        if (verify != ClientAuth.NONE && caFile == null) {
            // HAProxy: "verify is enabled but no CA file specified".
            bind.problem("verify", "verify " + (verify == ClientAuth.REQUIRE ? "required" : "optional")
                    + " needs ca-file: the CAs that client certificates are checked against");
            problems++;
        }
        List<String> protocols = JDK_VERSIONS.subList(3, 5);
        if (bind.has("ssl-min-ver")) {
            String text = bind.string("ssl-min-ver");
            int index = HAPROXY_VERSIONS.indexOf(text);
            if (index < 0) {
                bind.problem("ssl-min-ver", "'" + text + "' is not one of " + String.join(", ", HAPROXY_VERSIONS));
                problems++;
            } else {
                protocols = List.copyOf(new java.util.LinkedHashSet<>(JDK_VERSIONS.subList(index, 5)));
            }
        }
        List<String> ciphers = null;
        String cipherText = bind.optionalString("ciphers");
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
                    bind.problem("ciphers", "'" + name + "' is not a TLS 1.2 cipher name OpenSSL knows" + hint);
                    problems++;
                } else {
                    ciphers.add(java);
                }
            }
        }
        List<String> suites = null;
        String suiteText = bind.optionalString("ciphersuites");
        if (suiteText != null) {
            suites = new ArrayList<>();
            for (String name : suiteText.split(":")) {
                if (name.isEmpty()) {
                    continue;
                }
                if (!TLS13_SUITES.contains(name)) {
                    bind.problem("ciphersuites", "'" + name + "' is not a TLS 1.3 suite (one of "
                            + String.join(", ", TLS13_SUITES) + ")");
                    problems++;
                } else {
                    suites.add(name);
                }
            }
        }
        List<String> alpn = bind.has("alpn") ? bind.strings("alpn") : List.of();
        return problems > 0 ? null : new BindTlsSettings(List.copyOf(crt), caFile, verify, protocols,
                ciphers, suites, List.copyOf(alpn));
    }
}
