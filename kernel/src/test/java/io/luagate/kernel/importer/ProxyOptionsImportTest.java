package io.luagate.kernel.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code option forwardfor} with its arguments, the HTTP connection-mode options, {@code errorfile},
 * {@code unique-id-format} and {@code unique-id-header}: translated, and the result loads.
 */
class ProxyOptionsImportTest {

    @TempDir
    Path dir;

    @Test
    void optionsErrorFilesAndUniqueIds() throws Exception {
        Files.writeString(dir.resolve("503.http"), "HTTP/1.1 503 Down\r\nContent-Length: 4\r\n\r\nbody");
        ImportResult result = HaproxyConfigs.translate(dir, """
                defaults
                  mode http
                  timeout client 5s
                  timeout connect 1s
                  timeout server 5s
                  option http-server-close
                  errorfile 503 503.http
                frontend web
                  bind 127.0.0.1:18080
                  option forwardfor except 10.0.0.0/8 header X-Client if-none
                  option httpclose
                  unique-id-format %ci:%cp_%[uuid]
                  unique-id-header X-Unique-ID
                  default_backend app
                backend app
                  option forwardfor
                  no option http-server-close
                  errorfile 403 /dev/null
                  server s1 127.0.0.1:9001
                """, Map.of());
        assertEquals(List.of(), result.unsupported(), result.hocon());
        Config c = ConfigFactory.parseString(result.hocon());
        assertTrue(c.getBoolean("frontends.web.forwardfor"));
        assertEquals("10.0.0.0/8", c.getString("frontends.web.forwardfor-except"));
        assertEquals("X-Client", c.getString("frontends.web.forwardfor-header"));
        assertTrue(c.getBoolean("frontends.web.forwardfor-if-none"));
        assertTrue(c.getBoolean("backends.app.forwardfor"));
        assertEquals("x-forwarded-for", c.getString("backends.app.forwardfor-header"));
        assertFalse(c.getBoolean("backends.app.forwardfor-if-none"));
        // The defaults' server-close, then the frontend's own httpclose; the backend turned it off.
        assertEquals("close", c.getString("frontends.web.connection-mode"));
        assertEquals("keep-alive", c.getString("backends.app.connection-mode"));
        assertEquals(dir.resolve("503.http").toString(), c.getString("frontends.web.errorfile.503"));
        assertEquals(dir.resolve("503.http").toString(), c.getString("backends.app.errorfile.503"));
        assertEquals("/dev/null", c.getString("backends.app.errorfile.403"));
        assertFalse(c.hasPath("frontends.web.errorfile.403"));
        assertEquals("%ci:%cp_%[uuid]", c.getString("frontends.web.unique-id-format"));
        assertEquals("X-Unique-ID", c.getString("frontends.web.unique-id-header"));
        assertEquals(List.of(), HaproxyConfigs.luagateProblems(dir, result.hocon()));
    }

    @Test
    void formatsKeepEscapedBytesAsHaproxyReadsThem() throws Exception {
        // HAProxy 2.6.12 observed: unique-id-format "a\x41\xe9é" sends x-u: 61 41 E9 C3 A9, and
        // 'a\x41' (single quotes) the four characters a \ x 4 1.
        ImportResult result = HaproxyConfigs.translate(dir, """
                defaults
                  mode http
                  timeout client 5s
                  timeout connect 1s
                  timeout server 5s
                frontend web
                  bind 127.0.0.1:18080
                  unique-id-format "a\\x41\\xe9é\\"q\\ \\$x"
                  unique-id-header X-U
                  log-format 'b\\x41'\\xe9"%ci"
                  default_backend app
                backend app
                  server a 127.0.0.1:9001
                """, Map.of());
        Config c = ConfigFactory.parseString(result.hocon());
        String uniqueId = c.getString("frontends.web.unique-id-format");
        String logFormat = c.getString("frontends.web.log-format");
        assertEquals("a\\x41\\xe9é\\\"q\\ $x", uniqueId);
        assertEquals("b\\\\x41\\xe9%ci", logFormat);
        // What luagate reads: \xe9 one byte, é its two UTF-8 bytes, a single-quoted backslash a backslash.
        assertEquals("aA\u00e9\u00c3\u00a9\"q $x", io.luagate.kernel.rule.RuleTokenizer.formatBytes(uniqueId));
        assertEquals("b\\x41\u00e9%ci", io.luagate.kernel.rule.RuleTokenizer.formatBytes(logFormat));
        assertEquals(List.of(), HaproxyConfigs.luagateProblems(dir, result.hocon()));
    }

    @Test
    void keysThatAreNoFormatListAnEscapedHighByte() throws Exception {
        // HOCON holds characters, read back as UTF-8: \xe9 cannot stay one byte, nor \xc3\xa9 two.
        ImportResult result = HaproxyConfigs.translate(dir, """
                defaults
                  mode http
                  timeout client 5s
                  timeout connect 1s
                  timeout server 5s
                frontend web
                  bind 127.0.0.1:18080
                  monitor-uri "/caf\\xc3\\xa9"
                  unique-id-header "X-\\xe9"
                  default_backend app
                frontend plain
                  bind 127.0.0.1:18081
                  monitor-uri /café\\x41'\\xe9'
                  unique-id-header "X-\\\\xe9"
                  default_backend app
                backend app
                  server a 127.0.0.1:9001
                """, Map.of());
        String reason = "an escaped byte above 0x7F (\\xNN) cannot be written in luagate's configuration for this key; "
                + "write the character itself (é is C3 A9)";
        assertEquals(List.of("haproxy.cfg:8: monitor-uri: not supported", "haproxy.cfg:9: unique-id-header: not supported"),
                result.unsupported(), result.hocon());
        assertTrue(result.hocon().contains("haproxy.cfg:8: monitor-uri: not supported (" + reason + "): monitor-uri"),
                result.hocon());
        Config c = ConfigFactory.parseString(result.hocon());
        assertFalse(c.hasPath("frontends.web.monitor-uri"), result.hocon());
        // Below 0x80, single-quoted or after an escaped backslash, it is no byte escape.
        assertEquals("/caféA\\xe9", c.getString("frontends.plain.monitor-uri"));
        assertEquals("X-\\xe9", c.getString("frontends.plain.unique-id-header"));
    }
}
