package io.luagate.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.proxy.HttpReuse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsReaderTest {

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("test.conf");
        Files.writeString(file, text);
        return file;
    }

    private Settings load(String text) throws IOException {
        return ConfigLoader.load(write(text), dir);
    }

    private List<String> problems(String text) throws IOException {
        Path file = write(text);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(file, dir));
        return e.problems().stream().map(p -> p.toString().replace(file.toString(), "F")).toList();
    }

    @Test
    void defaultsComeFromReferenceConfAndDefaultsBlocks() throws IOException {
        Settings settings = load("""
                defaults.backend { retries = 7 }
                frontends.web { bind = ["127.0.0.1:8080", { address = "127.0.0.1:8081", thread = 2 }], default-backend = app }
                backends.app { http-reuse = always, servers { a = "127.0.0.1:9001", b { address = "localhost:9002", weight = 2 } } }
                """);
        Settings.Frontend web = settings.frontends().get("web");
        assertEquals("http", web.mode().name());
        assertEquals(30_000, web.clientTimeoutMillis());
        assertEquals(2, web.binds().size());
        assertEquals(2, web.binds().get(1).thread());
        Settings.Backend app = settings.backends().get("app");
        assertEquals(7, app.retries());
        assertEquals(HttpReuse.ALWAYS, app.httpReuse());
        assertEquals(List.of("a", "b"), app.servers().stream().map(Settings.Server::name).toList());
        assertEquals(2, app.servers().get(1).weight());
        assertEquals(dir.resolve("plugins"), settings.pluginsDir());
    }

    @Test
    void tuneHttpMaxhdrDefaultsToHaproxysAndIsBounded() throws IOException {
        String proxies = """
                frontends.web { bind = ["127.0.0.1:8080"], default-backend = app }
                backends.app { servers { a = "127.0.0.1:9001" } }
                """;
        assertEquals(101, load(proxies).global().maxHeaders());
        assertEquals(20, load("global.tune.http.maxhdr = 20\n" + proxies).global().maxHeaders());
        List<String> problems = problems("global.tune.http.maxhdr = 40000\n" + proxies);
        assertTrue(problems.contains("F:1: global.tune.http.maxhdr: 40000 is out of range [1, 32767]"), problems.toString());
    }

    @Test
    void everyProblemIsReportedWithFileLineAndKey() throws IOException {
        List<String> problems = problems("""
                global { threads = 2000, maxconn = lots }
                frontends.web {
                  bind = ["127.0.0.1:99999"]
                  mode = "Udp!"
                  colour = blue
                }
                backends.app { servers { a = "nohost" }, timeout.connect = -1s }
                defaults.frontend.bogus = 1
                """);
        assertTrue(problems.contains("F:1: global.threads: 2000 is out of range [0, 1024]"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("F:1: global.maxconn: ")), problems.toString());
        assertTrue(problems.contains("F:3: frontends.web.bind: port 99999 is out of range [0, 65535]"), problems.toString());
        // Which modes exist, the codec plugins say (ProxyBuilder); here only a name's shape is checked.
        assertTrue(problems.contains("F:4: frontends.web.mode: 'Udp!' is not a mode name (lower-case letters, digits and '-')"),
                problems.toString());
        assertTrue(problems.contains("F:5: frontends.web.colour: unknown key"), problems.toString());
        assertTrue(problems.contains("F:7: backends.app.servers.a.address: 'nohost' is not host:port"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("F:7: backends.app.timeout.connect: ")), problems.toString());
        assertTrue(problems.contains("F:8: defaults.frontend.bogus: unknown key"), problems.toString());
    }

    @Test
    void syntaxErrorsNameTheLine() throws IOException {
        List<String> problems = problems("frontends.web {\n  bind = [\"127.0.0.1:1\"\n");
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("F:"), problems.toString());
    }

    @Test
    void aConfigWithoutFrontendsIsRefused() throws IOException {
        assertTrue(problems("global.threads = 1\n").stream().anyMatch(p -> p.contains("no frontend is configured")));
    }

    @Test
    void modesOfFrontendAndBackendMustMatch() throws IOException {
        List<String> problems = problems("""
                frontends.web { bind = ["127.0.0.1:1"], mode = tcp, default-backend = app }
                backends.app { servers { a = "127.0.0.1:2" } }
                """);
        assertTrue(problems.stream().anyMatch(p -> p.contains("frontend mode 'tcp' cannot use backend 'app' of mode 'http'")),
                problems.toString());
    }
}
