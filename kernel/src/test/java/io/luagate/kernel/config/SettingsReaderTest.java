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

    /** global.tune's unknown keys are left to plugins by their dotted path (the http codec reads global.tune.h2). */
    @Test
    void tuneKeysTheKernelDoesNotReadGoToPlugins() throws IOException {
        Settings settings = load("""
                global.tune.h2 { max-concurrent-streams = 5 }
                frontends.web { bind = ["127.0.0.1:8080"], default-backend = app }
                backends.app { servers { a = "127.0.0.1:9001" } }
                """);
        assertEquals(List.of("global.tune.h2"), List.copyOf(settings.pluginSections().keySet()));
        assertEquals(5, ((com.typesafe.config.ConfigObject) settings.pluginSections().get("global.tune.h2"))
                .toConfig().getInt("max-concurrent-streams"));
    }

    @Test
    void aBadCpuMapLineIsReportedAtItsOwnLineOfTheList() throws IOException {
        List<String> problems = problems("""
                global {
                  threads = 2
                  cpu-map = [
                    "1/1 0"
                    "1/2 0-x"
                  ]
                }
                """);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("F:5: global.cpu-map: '1/2 0-x': ")), problems.toString());
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
    void errorFilesAreReadAndCheckedAsHaproxyChecksThem() throws IOException {
        Files.writeString(dir.resolve("503.http"), "HTTP/1.0 503 Down\r\nX-Foo: Bar\r\nContent-Length: 4\r\n\r\nbody");
        Files.writeString(dir.resolve("short.http"), "HTTP/1.1 503 X\r\nContent-Length: 11\r\n\r\nabc");
        Files.writeString(dir.resolve("chunked.http"), "HTTP/1.1 503 X\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        Files.writeString(dir.resolve("100.http"), "HTTP/1.1 100 X\r\n\r\n");
        Files.writeString(dir.resolve("204.http"), "HTTP/1.1 204 X\r\n\r\nabc");
        Files.writeString(dir.resolve("garbage.http"), "garbage\r\n\r\n");
        Files.writeString(dir.resolve("header.http"), "HTTP/1.1 503 X\r\nBad Header\r\n\r\n");
        Files.writeString(dir.resolve("open.http"), "HTTP/1.1 503 X\r\nX: y\r\n");
        Files.writeString(dir.resolve("version.http"), "HTTP/12 503 X\r\n\r\n");
        Settings settings = load("""
                frontends.web { bind = ["127.0.0.1:8080"], default-backend = app, errorfile { 403 = "/dev/null" } }
                backends.app { servers { a = "127.0.0.1:9001" }, errorfile { 503 = "503.http" } }
                """);
        io.luagate.spi.rule.HttpReply page = settings.backends().get("app").errorPages().get(503);
        assertEquals("HTTP/1.0", page.fileVersion());
        assertEquals("Down", page.reason());
        assertEquals(List.of(new io.luagate.spi.rule.HttpReply.Header("x-foo", "Bar"),
                new io.luagate.spi.rule.HttpReply.Header("content-length", "4")), page.headers());
        assertEquals("body", new String(page.body(), java.nio.charset.StandardCharsets.ISO_8859_1));
        assertTrue(settings.frontends().get("web").errorPages().get(403).silent(), "an empty file answers nothing");
        // The messages are HAProxy 2.6.12's for the same files (its "parsing [file:line] : errorfile : ...").
        List<String> problems = problems("""
                frontends.web { bind = ["127.0.0.1:8080"], default-backend = app }
                backends.app {
                  servers { a = "127.0.0.1:9001" }
                  errorfile {
                    418 = "503.http"
                    500 = "short.http"
                    501 = "chunked.http"
                    502 = "100.http"
                    503 = "204.http"
                    504 = "garbage.http"
                    400 = "header.http"
                    401 = "open.http"
                    403 = "version.http"
                    404 = "missing.http"
                  }
                }
                """);
        String d = dir.toString();
        for (String expected : List.of(
                "F:5: backends.app.errorfile.418: status code '418' not handled.",
                "F:6: backends.app.errorfile.500: '" + d + "/short.http': payload size does not match the announced content-length (3 != 11)",
                "F:7: backends.app.errorfile.501: '" + d + "/chunked.http': chunk-encoded payload not supported",
                "F:8: backends.app.errorfile.502: '" + d + "/100.http': invalid http status code for an error message (100)",
                "F:9: backends.app.errorfile.503: '" + d + "/204.http': message payload not expected",
                "F:10: backends.app.errorfile.504: '" + d + "/garbage.http': unable to parse headers (error offset: 0)",
                "F:11: backends.app.errorfile.400: '" + d + "/header.http': unable to parse headers (error offset: 19)",
                "F:12: backends.app.errorfile.401: '" + d + "/open.http': unable to parse headers (error offset: -2)",
                "F:13: backends.app.errorfile.403: '" + d + "/version.http': invalid http version (HTTP/12)",
                "F:14: backends.app.errorfile.404: error opening file '" + d + "/missing.http'.")) {
            assertTrue(problems.contains(expected), expected + " in " + problems);
        }
    }

    @Test
    void proxyOptionsOfHaproxy() throws IOException {
        Settings settings = load("""
                frontends.web { bind = ["127.0.0.1:8080"], default-backend = app, connection-mode = close,
                  forwardfor = true, forwardfor-except = "10.0.0.0/255.0.0.0", forwardfor-if-none = true,
                  unique-id-format = "%ci-%[uuid]", unique-id-header = X-Req-Id }
                backends.app { servers { a = "127.0.0.1:9001" }, connection-mode = server-close }
                """);
        Settings.Frontend web = settings.frontends().get("web");
        assertEquals(io.luagate.spi.proxy.ConnectionMode.CLOSE, web.connectionMode());
        assertEquals(io.luagate.spi.proxy.ConnectionMode.SERVER_CLOSE, settings.backends().get("app").connectionMode());
        assertEquals(8, web.forwardFor().exceptPrefix());
        assertTrue(web.forwardFor().ifNone());
        assertEquals("x-req-id", web.uniqueIdHeader(), "sent in lower case, as HAProxy sends it");
        assertEquals(null, settings.backends().get("app").forwardFor(), "off by default");
        List<String> problems = problems("""
                frontends.web { bind = ["127.0.0.1:8080"], default-backend = app, connection-mode = sometimes,
                  forwardfor-except = "ten/8", unique-id-header = "a b" }
                backends.app { servers { a = "127.0.0.1:9001" }, forwardfor-header = "x y" }
                """);
        assertTrue(problems.contains("F:1: frontends.web.connection-mode: 'sometimes' is not one of keep-alive, server-close, close"),
                problems.toString());
        assertTrue(problems.contains("F:2: frontends.web.forwardfor-except: 'ten/8' is not a network (address[/prefix])"), problems.toString());
        assertTrue(problems.contains("F:2: frontends.web.unique-id-header: 'a b' is not a header name"), problems.toString());
        assertTrue(problems.contains("F:3: backends.app.forwardfor-header: 'x y' is not a header name"), problems.toString());
    }

    @Test
    void monitorUriAndHeaderNamesAreConfigurationBytes() throws IOException {
        Settings settings = load("""
                frontends.web { bind = ["127.0.0.1:8080"], default-backend = app, monitor-uri = "/café",
                  unique-id-format = "%[uuid]", unique-id-header = X-Id }
                backends.app { servers { a = "127.0.0.1:9001" }, forwardfor = true, forwardfor-header = X-Client }
                """);
        // Matched against the request's URI bytes, as HAProxy matches /café against /caf C3 A9.
        assertEquals("/caf\u00c3\u00a9", settings.frontends().get("web").answers().monitorUri());
        assertEquals("x-id", settings.frontends().get("web").uniqueIdHeader());
        assertEquals("x-client", settings.backends().get("app").forwardFor().header());
        // HAProxy sends X-É's bytes as a name; luagate writes header names that are tokens only, and says so at load.
        List<String> problems = problems("""
                frontends.web { bind = ["127.0.0.1:8080"], default-backend = app, unique-id-header = "X-É" }
                backends.app { servers { a = "127.0.0.1:9001" }, forwardfor-header = "X-Ü",
                  httpchk = true, http-check = [ "send hdr X-É v" ] }
                """);
        // The http-check line's words are bytes; the message shows them as written.
        assertTrue(problems.contains("F:3: backends.app.http-check: 'X-É' is not a header name"), problems.toString());
        assertTrue(problems.contains("F:1: frontends.web.unique-id-header: 'X-É' is not a header name"), problems.toString());
        assertTrue(problems.contains("F:2: backends.app.forwardfor-header: 'X-Ü' is not a header name"), problems.toString());
    }

    @Test
    void aServersProtoIsH1OrH2() throws IOException {
        Settings settings = load("""
                frontends.web { bind = ["127.0.0.1:8080"], default-backend = app }
                backends.app { servers { a = { address = "127.0.0.1:9001", proto = h2 }, b = "127.0.0.1:9002" } }
                """);
        assertEquals("h2", settings.backends().get("app").servers().get(0).proto());
        assertEquals(null, settings.backends().get("app").servers().get(1).proto());
        List<String> problems = problems("""
                frontends.web { bind = ["127.0.0.1:8080"], default-backend = app }
                backends.app { servers { a = { address = "127.0.0.1:9001",
                  proto = h3 } } }
                """);
        assertEquals(List.of("F:3: backends.app.servers.a.proto: 'h3' is not one of h1, h2"), problems);
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
