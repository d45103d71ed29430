package io.luagate.plugin.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.luagate.spi.proxy.ServerAdmin;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** What a PATCH of a server may say, read as HAProxy's set server reads its arguments. */
class ServerChangeTest {

    @Test
    void statesAreHaproxysThree() {
        assertEquals(ServerAdmin.READY, ServerChange.state("ready"));
        assertEquals(ServerAdmin.DRAIN, ServerChange.state("DRAIN"));
        assertEquals(ServerAdmin.MAINT, ServerChange.state("maint"));
        assertEquals("\"state\" must be ready, drain or maint, not \"up\"",
                assertThrows(ApiException.class, () -> ServerChange.state("up")).getMessage());
    }

    @Test
    void addressesAreIpLiteralsWithAnOptionalPort() {
        assertEquals(new InetSocketAddress("10.0.0.1", 8080), ServerChange.address("10.0.0.1:8080", 80));
        assertEquals(new InetSocketAddress("10.0.0.1", 80), ServerChange.address("10.0.0.1", 80));
        assertEquals(new InetSocketAddress("::1", 81), ServerChange.address("[::1]:81", 80));
        assertEquals(new InetSocketAddress("::1", 80), ServerChange.address("::1", 80));
        for (String bad : new String[] {"example.com:80", "10.0.0.1:99999", "", "10.0.0.1:x"}) {
            ApiException e = assertThrows(ApiException.class, () -> ServerChange.address(bad, 80), bad);
            assertEquals(400, e.status());
        }
    }
}
