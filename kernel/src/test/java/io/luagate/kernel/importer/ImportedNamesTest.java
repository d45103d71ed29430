package io.luagate.kernel.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A name HAProxy refuses (its invalid_char(): a proxy, server, ACL, userlist or group name with a
 * character other than ASCII letters, digits and {@code . : _ -}) is listed as not supported with
 * HAProxy's reason, its line commented out, instead of a translation luagate would refuse to load.
 */
class ImportedNamesTest {

    private static final String HEAD = """
            defaults
              mode http
              timeout client 1s
              timeout server 1s
              timeout connect 1s
            """;

    @TempDir
    Path dir;

    private ImportResult refusedByHaproxy(String text, String haproxysMessage) throws Exception {
        Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), HEAD + text);
        HaproxyConfigs.assertHaproxyRefuses(cfg, haproxysMessage);
        return HaproxyImporter.translate(cfg, dir, Map.<String, String>of()::get);
    }

    @Test
    void aProxyNamedCafeIsLeftOutWithItsLines() throws Exception {
        ImportResult result = refusedByHaproxy("""
                frontend café
                  bind 127.0.0.1:18080
                  default_backend b
                frontend web
                  bind 127.0.0.1:18081
                  default_backend b
                backend b
                  server s 127.0.0.1:9000
                """, "is not permitted in 'frontend' name 'café'");
        assertEquals(List.of("haproxy.cfg:6: frontend: not supported"), result.unsupported(), result.hocon());
        assertTrue(result.hocon().contains("character 'é' is not permitted in frontend name 'café'"), result.hocon());
        assertFalse(result.hocon().contains("18080\""), result.hocon());
        assertEquals(List.of(), HaproxyConfigs.luagateProblems(dir, result.hocon()));
    }

    @Test
    void serverAclUserlistAndGroupNamesAreCheckedAsHaproxyDoes() throws Exception {
        String rest = """
                userlist ops
                  group gé
                  user u insecure-password x
                userlist lé
                  user v insecure-password y
                frontend web
                  bind 127.0.0.1:18081
                  acl é path /
                  default_backend b
                backend b
                  server sé 127.0.0.1:9000
                  server s 127.0.0.1:9001
                """;
        ImportResult result = refusedByHaproxy(rest, "is not permitted in 'group' name 'gé'");
        // HAProxy stops at the first section's error; each other line alone is refused as well.
        for (String[] alone : new String[][] {
                {"userlist lé\n  user v insecure-password y\n", "is not permitted in 'userlist' name 'lé'"},
                {"frontend web\n  bind 127.0.0.1:18081\n  acl é path /\n", "is not permitted in acl name 'é'"},
                {"backend b\n  server sé 127.0.0.1:9000\n", "is not permitted in server name 'sé'"}}) {
            HaproxyConfigs.assertHaproxyRefuses(Files.writeString(dir.resolve("alone.cfg"), HEAD + alone[0]), alone[1]);
        }
        assertEquals(List.of("haproxy.cfg:7: group: not supported", "haproxy.cfg:9: userlist: not supported",
                "haproxy.cfg:13: acl: not supported", "haproxy.cfg:16: server: not supported"), result.unsupported(), result.hocon());
        // The refused userlist's lines stay in the output as comments, as those of a refused proxy do.
        assertTrue(result.hocon().contains("haproxy.cfg:10: (in the section above): user v insecure-password y"), result.hocon());
        assertEquals(List.of(), HaproxyConfigs.luagateProblems(dir, result.hocon()));
    }
}
