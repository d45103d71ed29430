package io.luagate.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.luagate.kernel.plugin.Plugins;
import io.luagate.kernel.proxy.ProxyBuilder;
import io.luagate.kernel.rule.RuleLanguage;
import io.luagate.spi.proxy.StatsPageSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stats-uri and its keys (HAProxy's stats uri, refresh, auth, realm, hide-version), and the plugin they need. */
class StatsPageConfigTest {

    @TempDir
    Path dir;

    private Settings settings(String text) throws IOException {
        return ConfigLoader.load(Files.writeString(dir.resolve("test.conf"), text), dir);
    }

    private List<String> problems(String text) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> settings(text));
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void noStatsKeyNoPage() throws IOException {
        assertNull(settings("frontends.web { bind = [ \"127.0.0.1:1\" ] }\n").frontends().get("web").statsPage());
    }

    @Test
    void theKeysAreReadAndRefreshIsInWholeSeconds() throws IOException {
        StatsPageSettings page = settings("""
                frontends.web {
                  bind = [ "127.0.0.1:1" ]
                  stats-uri = "/stats", stats-refresh = 5500ms, stats-auth = [ "admin:secret", "ops:x:y" ]
                  stats-realm = "Our stats", stats-hide-version = true
                }
                """).frontends().get("web").statsPage();
        assertEquals(new StatsPageSettings("/stats", 5, List.of("admin:secret", "ops:x:y"), "Our stats", true), page);
    }

    @Test
    void aRealmIsItsUtf8Bytes() throws IOException {
        // HAProxy 2.6.12 observed: stats realm Café sends www-authenticate: Basic realm="Caf" C3 A9 ".
        StatsPageSettings page = settings("frontends.web { bind = [ \"127.0.0.1:1\" ], stats-realm = \"Café\" }\n")
                .frontends().get("web").statsPage();
        assertEquals("Caf\u00c3\u00a9", page.realm());
    }

    @Test
    void anyStatsKeyTurnsThePageOnAtHaproxysDefaultUri() throws IOException {
        StatsPageSettings page = settings("frontends.web { bind = [ \"127.0.0.1:1\" ], stats-auth = \"a:b\" }\n")
                .frontends().get("web").statsPage();
        assertEquals(new StatsPageSettings("/haproxy?stats", 0, List.of("a:b"), StatsPageSettings.DEFAULT_REALM, false), page);
    }

    @Test
    void defaultsGiveEveryFrontendThePage() throws IOException {
        Settings settings = settings("""
                defaults.frontend { stats-uri = "/s", stats-refresh = 10s }
                frontends.a { bind = [ "127.0.0.1:1" ] }
                frontends.b { bind = [ "127.0.0.1:2" ], stats-uri = "/other" }
                """);
        assertEquals(new StatsPageSettings("/s", 10, List.of(), StatsPageSettings.DEFAULT_REALM, false),
                settings.frontends().get("a").statsPage());
        assertEquals("/other", settings.frontends().get("b").statsPage().uri());
        assertEquals(10, settings.frontends().get("b").statsPage().refreshSeconds());
    }

    @Test
    void badValuesAreNamed() {
        String conf = dir.resolve("test.conf").toString();
        assertEquals(List.of(conf + ":2: frontends.web.stats-auth: 'admin' is not \"user:password\"",
                        conf + ":2: frontends.web.stats-realm: must be printable, without quotes or backslashes (it goes into WWW-Authenticate)",
                        conf + ":2: frontends.web.stats-uri: must be a URI prefix such as \"/stats\" (no spaces or control characters)"),
                problems("""
                        frontends.web { bind = [ "127.0.0.1:1" ],
                          stats-uri = "/my stats", stats-auth = "admin", stats-realm = "say \\"hi\\"" }
                        """).stream().sorted().toList());
    }

    @Test
    void withoutTheStatsPagePluginLuagateRefusesToStartNamingIt() throws IOException {
        Settings settings = settings("""
                frontends.web {
                  bind = [ "127.0.0.1:2" ]
                  stats-uri = "/stats"
                }
                """);
        Path none = dir.resolve("no-plugins");
        try (Plugins plugins = new Plugins(none, () -> null)) {
            ProxyBuilder builder = new ProxyBuilder(settings, plugins, TestCodecs.HTTP_AND_TCP, dir, null,
                    RuleLanguage.builtin(dir, Map.of()), null);
            assertEquals(List.of(dir.resolve("test.conf") + ":1: frontends.web.stats-uri: the stats page is served by the plugin"
                    + " stats-page, but no installed plugin provides service 'stats-page' (none is installed in " + none + ")"),
                    builder.validate().list().stream().map(ConfigProblem::toString).toList());
        }
    }
}
