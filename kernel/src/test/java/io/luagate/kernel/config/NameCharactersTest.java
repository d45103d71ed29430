package io.luagate.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The names HAProxy 2.6.12 refuses at load, as {@code haproxy -c} showed ("character '\xC3' is not
 * permitted in 'frontend' name 'café'"): frontends, backends, servers, ACLs, userlists and groups;
 * user names pass.
 */
class NameCharactersTest {

    private static final String ALLOWED = "(HAProxy takes ASCII letters, digits, '.', ':', '_' and '-')";

    @TempDir
    Path dir;

    private List<String> problems(String text) throws IOException {
        Path file = Files.writeString(dir.resolve("test.conf"), text);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(file, dir));
        return e.problems().stream().map(p -> p.toString().replace(file.toString(), "F")).toList();
    }

    @Test
    void haproxysCharactersPass() throws IOException {
        Path file = Files.writeString(dir.resolve("test.conf"), """
                frontends."web.1:a_b-C" { bind = ["127.0.0.1:8080"], default-backend = "app.1:x_y-Z"
                  acl { "is.api:v_1-A" = "path_beg /api" } }
                backends."app.1:x_y-Z" { servers { "s.1:a_b-C" = "127.0.0.1:9001" } }
                userlists."l.1:a_b-C" { users { "usér" { insecure-password = x, groups = ["g.1:a_b-C"] } },
                  groups { "g.1:a_b-C" = [] } }
                """);
        Settings settings = ConfigLoader.load(file, dir);
        assertEquals("s.1:a_b-C", settings.backends().get("app.1:x_y-Z").servers().get(0).name());
        assertTrue(settings.userlists().get("l.1:a_b-C").users().containsKey("usér"));
    }

    @Test
    void eachCheckedNameIsRefusedWithFileLineAndKey() throws IOException {
        List<String> problems = problems("""
                frontends."café" { bind = ["127.0.0.1:8080"], default-backend = app,
                  acl { "é" = "path /" } }
                backends.app { servers { "s é" = "127.0.0.1:9001", "" = "127.0.0.1:9002" } }
                backends."b/x" { servers { s = "127.0.0.1:9001" } }
                userlists."ué" { users { u { insecure-password = x } }, groups { "gé" = [u] } }
                """);
        for (String expected : List.of(
                "F:1: frontends.café: character 'é' is not permitted in frontend name 'café' " + ALLOWED,
                "F:2: frontends.café.acl.é: character 'é' is not permitted in acl name 'é' " + ALLOWED,
                "F:3: backends.app.servers.s é: character ' ' is not permitted in server name 's é' " + ALLOWED,
                "F:3: backends.app.servers.: the server name must not be empty",
                "F:4: backends.b/x: character '/' is not permitted in backend name 'b/x' " + ALLOWED,
                "F:5: userlists.ué: character 'é' is not permitted in userlist name 'ué' " + ALLOWED,
                "F:5: userlists.ué.groups.gé: character 'é' is not permitted in group name 'gé' " + ALLOWED)) {
            assertTrue(problems.contains(expected), expected + " in " + problems);
        }
    }

    @Test
    void aRuleCannotReachABackendHaproxyWouldRefuse() throws IOException {
        // Before the check, the rule's word (UTF-8 bytes) and the name (text) never met: now the name is refused.
        List<String> problems = problems("""
                frontends.web { bind = ["127.0.0.1:8080"], use-backend = ["café"] }
                backends."café" { servers { s = "127.0.0.1:9001" } }
                """);
        assertTrue(problems.contains("F:2: backends.café: character 'é' is not permitted in backend name 'café' " + ALLOWED),
                problems.toString());
    }

    @Test
    void aServerAddedAtRunTimeIsCheckedToo() {
        Problems problems = new Problems();
        // The runtime API's name is bytes, one char each, as HAProxy's "add server b/sé" refused it.
        SettingsReader.addedServer("app", "s\u00c3\u00a9",
                com.typesafe.config.ConfigFactory.parseMap(java.util.Map.of("address", "127.0.0.1:9001")), problems);
        assertTrue(problems.list().stream().anyMatch(p -> p.message().startsWith("character '\u00c3' is not permitted in server name")),
                problems.list().toString());
    }
}
