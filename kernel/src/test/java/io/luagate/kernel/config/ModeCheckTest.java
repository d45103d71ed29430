package io.luagate.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.kernel.plugin.Plugins;
import io.luagate.kernel.proxy.ProxyBuilder;
import io.luagate.kernel.rule.RuleLanguage;
import io.luagate.spi.codec.Codec;
import io.luagate.spi.codec.Mode;
import io.luagate.spi.codec.ModeTrait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Modes are what the loaded codecs declare: their names and their traits decide, never a literal. */
class ModeCheckTest {

    @TempDir
    Path dir;

    private List<String> problems(Map<String, Codec> codecs, String text) throws IOException {
        Path file = Files.writeString(dir.resolve("test.conf"), text);
        Settings settings = ConfigLoader.load(file, dir);
        try (Plugins plugins = new Plugins(dir.resolve("no-plugins"), () -> null)) {
            ProxyBuilder builder = new ProxyBuilder(settings, plugins, codecs, dir, null, RuleLanguage.builtin(dir, Map.of()), null);
            // No balancer plugin is loaded either: that problem is not the subject here.
            return builder.validate().list().stream().map(p -> p.toString().replace(file.toString(), "F"))
                    .filter(p -> !p.contains(".balance: ")).toList();
        }
    }

    @Test
    void aModeNoInstalledPluginProvidesIsReportedAtTheModesLineWithTheInstalledModes() throws IOException {
        List<String> problems = problems(TestCodecs.HTTP_AND_TCP, """
                frontends.web {
                  bind = ["127.0.0.1:1"]
                  default-backend = app
                  mode = udp
                }
                backends.app {
                  mode = udp
                  servers { a = "127.0.0.1:2" }
                }
                """);
        String plugins = dir.resolve("no-plugins").toString();
        assertEquals(List.of(
                "F:4: frontends.web.mode: no installed plugin provides mode 'udp' (installed: http, tcp)",
                "F:7: backends.app.mode: no installed plugin provides mode 'udp' (installed: http, tcp)"), problems);
        assertTrue(problems(Map.of(), "frontends.web { bind = [\"127.0.0.1:1\"], mode = tcp }\n")
                .contains("F:1: frontends.web.mode: no installed plugin provides mode 'tcp' (none is installed in "
                        + plugins + ")"));
    }

    @Test
    void contentRulesRunWhereTheModeDeclaresThem() throws IOException {
        String config = """
                frontends.fe { bind = ["127.0.0.1:1"], mode = %1$s, default-backend = be, tcp-request = [ "content accept" ] }
                backends.be { mode = %1$s, servers { s = "127.0.0.1:2" }, tcp-response = [ "content accept" ], http-reuse = never }
                """;
        Map<String, Codec> codecs = TestCodecs.of(Mode.of("raw", ModeTrait.CONTENT_RULES), Mode.of("plain"));
        assertEquals(List.of(), problems(codecs, config.formatted("raw")));
        assertEquals(List.of(
                "F:1: frontends.fe.tcp-request: tcp-request rules run in TCP frontends only in this build; use http-request rules here",
                "F:2: backends.be.tcp-response: tcp-response rules run in TCP backends only in this build; use http-response rules here"),
                problems(codecs, config.formatted("plain")));
    }

    @Test
    void httpReuseNeedsThePoolOnlyWhereTheModeReusesConnections() throws IOException {
        String config = """
                frontends.fe { bind = ["127.0.0.1:1"], mode = %1$s, default-backend = be }
                backends.be { mode = %1$s, servers { s = "127.0.0.1:2" }, http-reuse = safe }
                """;
        Map<String, Codec> codecs = TestCodecs.of(Mode.of("pooled", ModeTrait.CONNECTION_REUSE), Mode.of("single"));
        assertEquals(List.of("F:2: backends.be.http-reuse: http-reuse 'safe' keeps idle connections, but no installed"
                + " plugin provides pool (none is installed in " + dir.resolve("no-plugins") + ") (or set http-reuse = never)"),
                problems(codecs, config.formatted("pooled")));
        assertEquals(List.of(), problems(codecs, config.formatted("single")));
    }
}
