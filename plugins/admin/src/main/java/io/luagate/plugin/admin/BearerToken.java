package io.luagate.plugin.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The admin token, kept only as its SHA-256 digest. A presented token is digested too and the two
 * digests compared with {@link MessageDigest#isEqual} (constant time): comparing digests of a fixed
 * length also hides the token's length, which a direct comparison of unequal lengths would not.
 */
final class BearerToken {

    private final byte[] digest;

    private BearerToken(byte[] digest) {
        this.digest = digest;
    }

    static BearerToken of(String token) {
        return new BearerToken(sha256(token));
    }

    /** Whether {@code authorization} (a request's {@code Authorization} value, or {@code null}) carries this token. */
    boolean admits(String authorization) {
        String presented = presented(authorization);
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    /**
     * The token of an {@code Authorization: Bearer <token>} value (the scheme's case ignored, as RFC
     * 7235 says), or {@code null} when the value is absent or of another scheme.
     */
    static String presented(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.strip();
        if (value.length() <= 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = value.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
