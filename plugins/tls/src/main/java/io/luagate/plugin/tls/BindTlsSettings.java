package io.luagate.plugin.tls;

import io.luagate.spi.config.ConfigSection;
import io.netty.handler.ssl.ClientAuth;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The TLS keys of one bind, read and checked: HAProxy's {@code bind} options of the same names.
 *
 * @param crt      the PEM files and directories, resolved against the home
 * @param crtLists the {@code crt-list} files, resolved against the home
 * @param caFile   the CAs client certificates are checked against, or {@code null}
 * @param crlFile  the revocation lists client certificates are checked against, or {@code null}
 * @param verify   {@code verify none|optional|required}
 * @param choice   the versions and ciphers
 * @param alpn     {@code alpn} as written, most preferred first
 */
record BindTlsSettings(List<Path> crt, List<Path> crtLists, Path caFile, Path crlFile, ClientAuth verify,
                       ProtocolChoice choice, List<String> alpn) {

    /** Reads the keys of {@code bind}; problems are recorded there. {@code null} when there was one. */
    static BindTlsSettings read(ConfigSection bind, Path home) {
        int problems = 0;
        List<Path> crt = paths(bind, "crt", home);
        List<Path> crtLists = paths(bind, "crt-list", home);
        if (!bind.has("crt") && !bind.has("crt-list")) {
            bind.problem("crt", "is required with ssl = true: a PEM file (certificate, chain and key) or a directory"
                    + " of them (or crt-list: a file listing them)");
            problems++;
        } else if (crt.isEmpty() && crtLists.isEmpty()) {
            bind.problem(bind.has("crt") ? "crt" : "crt-list", "is empty: at least one PEM file or directory is required");
            problems++;
        }
        String caName = bind.optionalString("ca-file");
        Path caFile = caName == null ? null : home.resolve(caName).normalize();
        String crlName = bind.optionalString("crl-file");
        Path crlFile = crlName == null ? null : home.resolve(crlName).normalize();
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
        ProtocolChoice choice = ProtocolChoice.read(bind);
        if (choice == null) {
            problems++;
        }
        List<String> alpn = bind.has("alpn") ? bind.strings("alpn") : List.of();
        return problems > 0 ? null : new BindTlsSettings(crt, crtLists, caFile, crlFile, verify, choice,
                List.copyOf(alpn));
    }

    private static List<Path> paths(ConfigSection bind, String key, Path home) {
        if (!bind.has(key)) {
            return List.of();
        }
        List<Path> paths = new ArrayList<>();
        for (String name : bind.strings(key)) {
            paths.add(home.resolve(name).normalize());
        }
        return List.copyOf(paths);
    }
}
