package io.luagate.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.health.HttpCheck;
import io.luagate.spi.health.HttpCheckExpect;
import io.luagate.spi.health.Observe;
import io.luagate.spi.health.OnError;
import io.luagate.spi.health.ServerCheckSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The health-check keys of servers and backends, with HAProxy's defaults and where each comes from. */
class HealthCheckReaderTest {

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("test.conf");
        Files.writeString(file, "frontends.web { bind = [\"127.0.0.1:8080\"], default-backend = app }\n" + text);
        return file;
    }

    private Settings.Backend backend(String text) throws IOException {
        return ConfigLoader.load(write(text), dir).backends().get("app");
    }

    private List<String> problems(String text) throws IOException {
        Path file = write(text);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(file, dir));
        return e.problems().stream().map(p -> p.toString().replace(file.toString(), "F")).toList();
    }

    @Test
    void theIssuesExampleWithHaproxysDefaults() throws IOException {
        Settings.Backend app = backend("""
                backends.app {
                  httpchk = "GET /health", http-check = [ "expect status 200" ]
                  default-server { inter = 2s, rise = 2, fall = 3 }
                  servers { a { address = "10.0.0.1:80", check = true }, b { address = "10.0.0.2:80", check = true, backup = true } }
                }
                """);
        ServerCheckSettings a = app.servers().get(0).check();
        assertTrue(a.check());
        assertEquals(2000, a.interMillis());
        assertEquals(2000, a.fastInterMillis(), "fastinter defaults to inter");
        assertEquals(2000, a.downInterMillis(), "downinter defaults to inter");
        assertEquals(2, a.rise());
        assertEquals(3, a.fall());
        assertEquals(Observe.NONE, a.observe());
        assertEquals(10, a.errorLimit());
        assertEquals(OnError.FASTINTER, a.onError());
        assertEquals(new HttpCheck("GET", "/health", "HTTP/1.0", List.of(), "",
                List.of(new HttpCheckExpect(HttpCheckExpect.Kind.STATUS, false, "200", a.http().expects().get(0).origin()))), a.http());
        assertTrue(a.http().expects().get(0).origin().endsWith(":3"), a.http().expects().get(0).origin());
        assertEquals(5000, a.connectTimeoutMillis());
        assertEquals(2000, a.connectTimeout(), "without timeout.check, inter bounds the whole check");
        assertTrue(app.servers().get(1).backup());
        assertEquals(0, app.redispatch(), "HAProxy retries the same server unless told to redispatch");
    }

    @Test
    void aServersKeysWinOverDefaultServerWhichWinsOverTheDefaults() throws IOException {
        Settings.Backend app = backend("""
                defaults.default-server { inter = 5s, fall = 5, rise = 4 }
                defaults.backend.default-server { fall = 4 }
                backends.app {
                  timeout { check = 800ms, connect = 3s }
                  redispatch = true
                  default-server { inter = 1s, downinter = 10s }
                  servers {
                    a { address = "127.0.0.1:80", check = true, inter = 300ms, fastinter = 100ms, port = 8081, addr = "127.0.0.2" }
                    b = "127.0.0.1:81"
                  }
                }
                """);
        ServerCheckSettings a = app.servers().get(0).check();
        assertEquals(300, a.interMillis());
        assertEquals(100, a.fastInterMillis());
        assertEquals(10_000, a.downInterMillis());
        assertEquals(4, a.fall());
        assertEquals(4, a.rise());
        assertEquals(8081, a.port());
        assertEquals("127.0.0.2", a.address().getHostAddress());
        assertNull(a.http(), "no httpchk: a TCP connect");
        assertEquals(300, a.connectTimeout(), "with timeout.check: min(timeout.connect, inter)");
        assertEquals(800, a.readTimeout());
        ServerCheckSettings b = app.servers().get(1).check();
        assertEquals(false, b.check());
        assertEquals(1000, b.interMillis());
        assertEquals(-1, app.redispatch());
    }

    @Test
    void httpCheckSendLinesAndEveryExpectKind() throws IOException {
        HttpCheck http = backend("""
                backends.app {
                  httpchk = "HEAD /ready HTTP/1.1"
                  http-check = [ "send meth GET uri /alive hdr Host example.com hdr X-Check \\"a b\\"",
                                 "expect ! status 500-599", "expect rstatus ^2", "expect string ok", "expect rstring (up|ready)" ]
                  servers { a { address = "127.0.0.1:80", check = true } }
                }
                """).servers().get(0).check().http();
        assertEquals("GET", http.method());
        assertEquals("/alive", http.uri());
        assertEquals("HTTP/1.1", http.version());
        assertEquals(List.of(Map.entry("Host", "example.com"), Map.entry("X-Check", "a b")), http.headers());
        assertEquals(List.of(HttpCheckExpect.Kind.STATUS, HttpCheckExpect.Kind.RSTATUS, HttpCheckExpect.Kind.STRING,
                HttpCheckExpect.Kind.RSTRING), http.expects().stream().map(HttpCheckExpect::kind).toList());
        assertTrue(http.expects().get(0).negated());
        assertEquals("OPTIONS / HTTP/1.0", backend("""
                backends.app { httpchk = true, servers { a { address = "127.0.0.1:80", check = true } } }
                """).servers().get(0).check().http().method() + " / HTTP/1.0");
    }

    @Test
    void badValuesAreToldWithFileLineAndKey() throws IOException {
        List<String> problems = problems("""
                backends.app {
                  mode = tcp
                  http-check = [ "expect status 2xx", "expect rstring (", "connect port 80" ]
                  servers {
                    a { address = "127.0.0.1:80", check = true, rise = 0, on-error = explode, addr = "nowhere" }
                    b { address = "127.0.0.1:81", observe = layer7 }
                  }
                }
                """);
        String all = String.join("\n", problems);
        assertTrue(all.contains("F:4: backends.app.http-check: http-check lines need httpchk (HAProxy's option httpchk)"), all);
        assertTrue(all.contains("F:6: backends.app.servers.a.rise: 0 is out of range [1, 100000]"), all);
        assertTrue(all.contains("F:6: backends.app.servers.a.on-error: 'explode' is not one of fastinter, fail-check, sudden-death, mark-down"), all);
        assertTrue(all.contains("F:6: backends.app.servers.a.addr: 'nowhere' is not an IP address"), all);
        assertTrue(all.contains("backends.app.servers.b.observe: observe needs check = true"), all);
        assertTrue(all.contains("backends.app.servers.b.observe: 'layer7' can only be used in http proxies"), all);

        String expects = String.join("\n", problems("""
                backends.app {
                  httpchk = "GET /"
                  http-check = [ "expect status 2xx", "expect rstring (", "connect port 80", "send hdr" ]
                  servers { a { address = "127.0.0.1:80", check = true } }
                }
                """));
        assertTrue(expects.contains("F:4: backends.app.http-check: \"expect status 2xx\": '2xx' is not a status list"), expects);
        assertTrue(expects.contains("F:4: backends.app.http-check: \"expect rstring (\": bad regex"), expects);
        assertTrue(expects.contains("'connect' in \"connect port 80\": luagate's http-check takes send and expect lines"), expects);
        assertTrue(expects.contains("'hdr' expects a value in \"send hdr\""), expects);
    }

    @Test
    void theCheckKeysAreKnownToTheDefaultsBlocks() throws IOException {
        List<String> problems = problems("""
                defaults.server { check = true, inter = 1s, wobble = 1 }
                defaults.backend { redispatch = true, httpchk = "GET /", default-server { rise = 1 } }
                backends.app { servers { a = "127.0.0.1:80" } }
                """);
        assertTrue(problems.stream().allMatch(p -> p.contains(".wobble: unknown key")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("defaults.server.wobble: unknown key")), problems.toString());
    }

    @Test
    void wordsSplitAsHaproxySplitsThem() {
        assertEquals(List.of("send", "hdr", "X", "a b", "c\"d"), HealthCheckReader.words("send hdr X \"a b\" c\\\"d"));
        assertEquals(List.of("expect", "string", ""), HealthCheckReader.words("expect string \"\""));
    }
}
