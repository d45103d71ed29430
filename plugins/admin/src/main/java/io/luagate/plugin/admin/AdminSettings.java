package io.luagate.plugin.admin;

import io.luagate.spi.config.ConfigSection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code admin} section, read and checked: where the API listens, its token, whether reads
 * are open. A token is only ever sent to a loopback address: one on any other address without TLS
 * would cross the network in clear, so that is refused at start, naming {@code admin.bind}.
 *
 * @param bind      where the API listens, or {@code null}: no {@code admin.bind}, no API
 * @param token     the token writes (and closed reads) need, or {@code null} when none is configured
 * @param tokenFrom where the token came from, for the start line ({@code admin.token-file} or the variable)
 * @param openReads whether GET needs no token ({@code admin.open-reads})
 * @param threads   how many threads serve requests ({@code admin.threads})
 */
record AdminSettings(InetSocketAddress bind, BearerToken token, String tokenFrom, boolean openReads, int threads) {

    /** The environment variable that holds the token when {@code admin.token-file} is not written. */
    static final String TOKEN_VARIABLE = "LUAGATE_ADMIN_TOKEN";

    /** Reads the section; problems are recorded in it, with their file and line. */
    static AdminSettings read(ConfigSection section, Path home, Map<String, String> environment) {
        boolean openReads = section.bool("open-reads");
        int threads = section.integer("threads", 1, 16);
        String tokenFile = section.optionalString("token-file");
        BearerToken token = null;
        String tokenFrom = null;
        if (tokenFile != null) {
            Path file = home.resolve(tokenFile).normalize();
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (text.isEmpty()) {
                    section.problem("token-file", file + " is empty");
                } else if (text.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                    section.problem("token-file", file + ": a token is one word of printable ASCII characters");
                } else {
                    token = BearerToken.of(text);
                    tokenFrom = "admin.token-file";
                }
            } catch (IOException e) {
                section.problem("token-file", file + " cannot be read: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
            }
        } else {
            String text = environment.get(TOKEN_VARIABLE);
            if (text != null && !text.isBlank()) {
                token = BearerToken.of(text.strip());
                tokenFrom = "$" + TOKEN_VARIABLE;
            }
        }
        if (!section.has("bind")) {
            return new AdminSettings(null, token, tokenFrom, openReads, threads);
        }
        InetSocketAddress bind = address(section.string("bind"));
        if (bind == null) {
            section.problem("bind", "must be \"host:port\" with an IP address (or \"port\" alone, on 127.0.0.1)");
            return null;
        }
        if (token != null && !bind.getAddress().isLoopbackAddress()) {
            section.problem("bind", bind.getAddress().getHostAddress() + " is not a loopback address, and the admin token ("
                    + tokenFrom + ") would cross the network in clear: bind the admin API to 127.0.0.1 or ::1 and reach it"
                    + " through an SSH tunnel or a TLS frontend of luagate");
            return null;
        }
        return new AdminSettings(bind, token, tokenFrom, openReads, threads);
    }

    /** {@code "host:port"}, {@code "[v6]:port"}, {@code ":port"} or {@code "port"} (on 127.0.0.1), or {@code null}. */
    static InetSocketAddress address(String text) {
        String host = "127.0.0.1";
        String port = text.strip();
        int colon = port.lastIndexOf(':');
        if (colon >= 0) {
            host = port.substring(0, colon);
            port = port.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.contains(":")) {
                return null;
            }
            if (host.isEmpty()) {
                host = "127.0.0.1";
            }
        }
        // An IP literal only: a name would need a DNS look-up, and may change what it names.
        if (!host.chars().allMatch(c -> c == '.' || c == ':' || Character.digit(c, 16) >= 0)) {
            return null;
        }
        try {
            int number = Integer.parseInt(port);
            if (number < 0 || number > 65535) {
                return null;
            }
            return new InetSocketAddress(InetAddress.getByName(host), number);
        } catch (NumberFormatException | UnknownHostException e) {
            return null;
        }
    }
}
