package io.luagate.plugin.stats;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

/**
 * HAProxy's {@code stats auth <user>:<password>}: HTTP basic authentication against the
 * configured pairs. Every pair is compared, in time that does not depend on where they differ.
 */
final class BasicAuth {

    private final List<byte[]> allowed;

    /** @param pairs {@code user:password} strings; empty: everyone may see the page */
    BasicAuth(List<String> pairs) {
        this.allowed = pairs.stream().map(p -> p.getBytes(StandardCharsets.UTF_8)).toList();
    }

    boolean open() {
        return allowed.isEmpty();
    }

    /** Whether the {@code Authorization} header value {@code header} (may be {@code null}) carries an allowed pair. */
    boolean admits(String header) {
        if (allowed.isEmpty()) {
            return true;
        }
        if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        boolean match = false;
        for (byte[] pair : allowed) {
            match |= MessageDigest.isEqual(pair, given);
        }
        return match;
    }
}
