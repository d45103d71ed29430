package io.luagate.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.kernel.plugin.Plugins;
import io.luagate.kernel.proxy.ProxyBuilder;
import io.luagate.kernel.rule.RuleLanguage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code tcp-response} key of backends: read with its lines, refused where HAProxy refuses it. */
class TcpResponseConfigTest {

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("test.conf"), text);
    }

    private List<String> loadProblems(String text) throws IOException {
        Path file = write(text);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(file, dir));
        return e.problems().stream().map(p -> p.toString().replace(file.toString(), "F")).toList();
    }

    /** What {@code luagate check} reports past the settings: rules compiled against the built-in vocabulary. */
    private List<String> ruleProblems(String text) throws IOException {
        Path file = write(text);
        Settings settings = ConfigLoader.load(file, dir);
        try (Plugins plugins = new Plugins(dir.resolve("no-plugins"), () -> null)) {
            ProxyBuilder builder = new ProxyBuilder(settings, plugins, TestCodecs.HTTP_AND_TCP, dir, null,
                    RuleLanguage.builtin(dir, Map.of()), null);
            return builder.validate().list().stream().map(p -> p.toString().replace(file.toString(), "F")).toList();
        }
    }

    @Test
    void aBackendsRulesAreReadInOrderWithTheirLines() throws IOException {
        Settings settings = ConfigLoader.load(write("""
                frontends.fe { bind = ["127.0.0.1:1"], mode = tcp, default-backend = be }
                backends.be {
                  mode = tcp
                  servers { s = "127.0.0.1:2" }
                  tcp-response = [ "inspect-delay 2s",
                                   "content reject if { res.payload(0,3) -m bin 424144 }" ]
                }
                """), dir);
        List<Settings.Rule> rules = settings.backends().get("be").tcpResponse();
        assertEquals(2, rules.size());
        assertEquals("inspect-delay 2s", rules.get(0).text());
        assertTrue(rules.get(0).origin().endsWith("test.conf:5"), rules.get(0).origin());
        assertTrue(rules.get(1).origin().endsWith("test.conf:6"), rules.get(1).origin());
    }

    @Test
    void defaultsMayHoldThemForEveryBackend() throws IOException {
        Settings settings = ConfigLoader.load(write("""
                defaults.backend.tcp-response = [ "content accept" ]
                frontends.fe { bind = ["127.0.0.1:1"], mode = tcp, default-backend = be }
                backends.be { mode = tcp, servers { s = "127.0.0.1:2" } }
                """), dir);
        assertEquals("content accept", settings.backends().get("be").tcpResponse().get(0).text());
    }

    @Test
    void aFrontendCannotHaveThemAsInHAProxy() throws IOException {
        List<String> problems = loadProblems("""
                frontends.fe {
                  bind = ["127.0.0.1:1"], mode = tcp, default-backend = be
                  tcp-response = [ "content accept" ]
                }
                defaults.frontend.tcp-response = []
                backends.be { mode = tcp, servers { s = "127.0.0.1:2" }, tcp-response = "content accept" }
                """);
        assertTrue(problems.contains("F:3: frontends.fe.tcp-response: tcp-response rules belong to a backend, as in HAProxy: "
                + "move them to the backend"), problems.toString());
        assertTrue(problems.contains("F:5: defaults.frontend.tcp-response: unknown key"), problems.toString());
        assertTrue(problems.contains("F:6: backends.be.tcp-response: must be a list of rule strings"), problems.toString());
    }

    @Test
    void rulesAreCompiledAndBadOnesNameTheirLine() throws IOException {
        List<String> problems = ruleProblems("""
                frontends.fe { bind = ["127.0.0.1:1"], mode = tcp, default-backend = be }
                backends.be {
                  mode = tcp
                  servers { s = "127.0.0.1:2" }
                  tcp-response = [ "inspect-delay 2s",
                                   "content set-dst src",
                                   "content accept if { res.len gt 0 }",
                                   "accept" ]
                }
                """);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("F:6: backends.be.tcp-response: in rule \"content set-dst src\"")
                && p.contains("unknown tcp-response content action 'set-dst'; known: accept, close, reject, set-log-level, "
                        + "set-var, set-var-fmt, unset-var")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("F:8: backends.be.tcp-response: in rule \"accept\"")
                && p.contains("expected 'content <action> ...' or 'inspect-delay <time>'")), problems.toString());
        assertTrue(problems.stream().noneMatch(p -> p.startsWith("F:5:") || p.startsWith("F:7:")), problems.toString());
    }

    @Test
    void httpBackendsCannotRunThemInThisBuild() throws IOException {
        List<String> problems = ruleProblems("""
                frontends.fe { bind = ["127.0.0.1:1"], default-backend = be }
                backends.be {
                  servers { s = "127.0.0.1:2" }
                  tcp-response = [ "content accept" ]
                }
                """);
        assertTrue(problems.contains("F:4: backends.be.tcp-response: tcp-response rules run in TCP backends only in this build; "
                + "use http-response rules here"), problems.toString());
    }
}
