package io.luagate.plugin.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin section's rules: an IP literal bind, loopback when only a port is written; the token
 * from its file or else from LUAGATE_ADMIN_TOKEN; a token never on a non-loopback bind.
 */
class AdminSettingsTest {

    @TempDir
    Path home;

    @Test
    void theTokenComesFromItsFileElseFromTheEnvironment() throws IOException {
        Files.writeString(home.resolve("t"), "  file-token \n");
        Map<String, String> env = Map.of("LUAGATE_ADMIN_TOKEN", "env-token");
        AdminSettings fromFile = AdminSettings.read(new TestSection(Map.of("bind", "9901", "token-file", "t")), home, env);
        assertEquals("admin.token-file", fromFile.tokenFrom());
        assertTrue(fromFile.token().admits("Bearer file-token"));
        assertFalse(fromFile.token().admits("Bearer env-token"));
        AdminSettings fromEnv = AdminSettings.read(new TestSection(Map.of("bind", "9901")), home, env);
        assertEquals("$LUAGATE_ADMIN_TOKEN", fromEnv.tokenFrom());
        assertTrue(fromEnv.token().admits("Bearer env-token"));
        AdminSettings none = AdminSettings.read(new TestSection(Map.of("bind", "9901")), home, Map.of());
        assertNull(none.token());
        assertEquals(new InetSocketAddress("127.0.0.1", 9901), none.bind());
        AdminSettings off = AdminSettings.read(new TestSection(Map.of()), home, env);
        assertNull(off.bind(), "no bind, no API");
    }

    @Test
    void aBadTokenFileIsAProblemOfItsKey() throws IOException {
        Files.writeString(home.resolve("empty"), " \n");
        Files.writeString(home.resolve("two"), "two words\n");
        for (Map.Entry<String, String> file : Map.of("empty", " is empty", "two", ": a token is one word of printable ASCII characters",
                "absent", " cannot be read: NoSuchFileException").entrySet()) {
            TestSection section = new TestSection(Map.of("bind", "9901", "token-file", file.getKey()));
            AdminSettings.read(section, home, Map.of());
            assertEquals(1, section.problems.size(), section.problems.toString());
            assertTrue(section.problems.get(0).startsWith("token-file: " + home.resolve(file.getKey()) + file.getValue()),
                    section.problems.toString());
        }
    }

    @Test
    void aTokenIsRefusedOnANonLoopbackBindButReadsMayBeServedThere() {
        TestSection withToken = new TestSection(Map.of("bind", "0.0.0.0:9901"));
        assertNull(AdminSettings.read(withToken, home, Map.of("LUAGATE_ADMIN_TOKEN", "t")));
        assertEquals(List.of("bind: 0.0.0.0 is not a loopback address, and the admin token ($LUAGATE_ADMIN_TOKEN) would cross the"
                + " network in clear: bind the admin API to 127.0.0.1 or ::1 and reach it through an SSH tunnel or a TLS frontend"
                + " of luagate"), withToken.problems);
        TestSection withoutToken = new TestSection(Map.of("bind", "0.0.0.0:9901", "open-reads", true));
        AdminSettings readOnly = AdminSettings.read(withoutToken, home, Map.of());
        assertEquals(List.of(), withoutToken.problems);
        assertNull(readOnly.token());
        TestSection badBind = new TestSection(Map.of("bind", "localhost:9901"));
        assertNull(AdminSettings.read(badBind, home, Map.of()));
        assertEquals(List.of("bind: must be \"host:port\" with an IP address (or \"port\" alone, on 127.0.0.1)"), badBind.problems);
    }

    @Test
    void aBindIsAnIpLiteralAndAPortAloneIsOnLoopback() {
        assertEquals(new InetSocketAddress("127.0.0.1", 9901), AdminSettings.address("127.0.0.1:9901"));
        assertEquals(new InetSocketAddress("127.0.0.1", 9901), AdminSettings.address("9901"));
        assertEquals(new InetSocketAddress("127.0.0.1", 9901), AdminSettings.address(":9901"));
        assertEquals(new InetSocketAddress("::1", 9901), AdminSettings.address("[::1]:9901"));
        assertNull(AdminSettings.address("localhost:9901"), "a name would need DNS");
        assertNull(AdminSettings.address("::1:9901"), "an IPv6 address needs brackets before a port");
        assertNull(AdminSettings.address("127.0.0.1:65536"));
        assertNull(AdminSettings.address("127.0.0.1:"));
    }
}
