package io.luagate.plugin.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bearer token: RFC 6750's header, the scheme's case ignored, nothing else admitted. */
class BearerTokenTest {

    private final BearerToken token = BearerToken.of("s3cret-token");

    @Test
    void admitsOnlyTheTokenInABearerHeader() {
        assertTrue(token.admits("Bearer s3cret-token"));
        assertTrue(token.admits("bearer s3cret-token"));
        assertTrue(token.admits("BEARER   s3cret-token  "));
        assertFalse(token.admits("Bearer s3cret-tokeN"));
        assertFalse(token.admits("Bearer s3cret-token2"));
        assertFalse(token.admits("Bearer s3cret"));
        assertFalse(token.admits("Basic s3cret-token"));
        assertFalse(token.admits("s3cret-token"));
        assertFalse(token.admits("Bearer "));
        assertFalse(token.admits(""));
        assertFalse(token.admits(null));
    }

    @Test
    void findsThePresentedToken() {
        assertEquals("abc", BearerToken.presented("Bearer abc"));
        assertNull(BearerToken.presented("Bearerabc"));
        assertNull(BearerToken.presented("Token abc"));
        assertNull(BearerToken.presented(null));
    }
}
