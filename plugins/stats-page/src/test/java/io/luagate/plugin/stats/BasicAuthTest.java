package io.luagate.plugin.stats;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class BasicAuthTest {

    private static String basic(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void onlyAConfiguredPairIsAdmitted() {
        BasicAuth auth = new BasicAuth(List.of("admin:secret", "ops:pa:ss"));
        assertTrue(auth.admits(basic("admin:secret")));
        assertTrue(auth.admits(basic("ops:pa:ss")));
        assertTrue(auth.admits("basic " + Base64.getEncoder().encodeToString("admin:secret".getBytes(StandardCharsets.UTF_8))));
        assertFalse(auth.admits(basic("admin:secret2")));
        assertFalse(auth.admits(basic("admin")));
        assertFalse(auth.admits(null));
        assertFalse(auth.admits("Bearer x"));
        assertFalse(auth.admits("Basic %%%"));
    }

    @Test
    void withoutPairsThePageIsOpen() {
        assertTrue(new BasicAuth(List.of()).admits(null));
    }
}
