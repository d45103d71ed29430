package io.luagate.plugin.tls;

import io.luagate.spi.config.ConfigSection;
import java.nio.file.Path;
import java.util.List;

/**
 * The TLS keys of one server, read and checked: HAProxy's {@code server} options of the same names.
 *
 * @param verify whether the server's certificate is verified ({@code verify required}, the default)
 * @param caFile the CAs it is checked against, or {@code null} for the JDK's trust store (HAProxy's
 *               {@code ca-file @system-ca})
 * @param crt    the client certificate presented (PEM: certificate, chain and key), or {@code null}
 * @param alpn   {@code alpn} as written, most preferred first
 * @param verifyHost {@code verifyhost}: the name checked when no SNI is sent, or {@code null}
 * @param crlFile the revocation lists the server's chain is checked against, or {@code null}
 * @param choice the versions and ciphers offered
 */
record OriginSettings(boolean verify, Path caFile, Path crt, List<String> alpn, String verifyHost, Path crlFile,
                      ProtocolChoice choice) {

    /** HAProxy's name for the system's CAs in {@code ca-file}. */
    static final String SYSTEM_CA = "@system-ca";

    /** Reads the keys of {@code server}; problems are recorded there. {@code null} when there was one. */
    static OriginSettings read(ConfigSection server, Path home) {
        int problems = 0;
        boolean verify = true;
        if (server.has("verify")) {
            String text = server.string("verify");
            switch (text) {
                case "none" -> verify = false;
                case "required" -> verify = true;
                default -> {
                    server.problem("verify", "'" + text + "' is not one of none, required");
                    problems++;
                }
            }
        }
        String caName = server.optionalString("ca-file");
        Path caFile = caName == null || caName.equals(SYSTEM_CA) ? null : home.resolve(caName).normalize();
        String crtName = server.optionalString("crt");
        Path crt = crtName == null ? null : home.resolve(crtName).normalize();
        List<String> alpn = server.has("alpn") ? server.strings("alpn") : List.of();
        String verifyHost = server.optionalString("verifyhost");
        String crlName = server.optionalString("crl-file");
        Path crlFile = crlName == null ? null : home.resolve(crlName).normalize();
        ProtocolChoice choice = ProtocolChoice.read(server);
        if (choice == null) {
            problems++;
        }
        return problems > 0 ? null : new OriginSettings(verify, caFile, crt, List.copyOf(alpn), verifyHost, crlFile, choice);
    }
}
