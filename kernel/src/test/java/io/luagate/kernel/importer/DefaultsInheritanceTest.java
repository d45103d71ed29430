package io.luagate.kernel.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HAProxy 2.6's defaults: the last one before a proxy, or the named one of {@code from}; listen sections. */
class DefaultsInheritanceTest {

    @TempDir
    Path dir;

    private Config translate(String text) throws Exception {
        ImportResult result = HaproxyConfigs.translate(dir, text, Map.of());
        assertEquals(List.of(), result.unsupported(), result.hocon());
        assertEquals(List.of(), HaproxyConfigs.luagateProblems(dir, result.hocon()), result.hocon());
        return ConfigFactory.parseString(result.hocon());
    }

    /** HAProxy keeps the request line (capture.req.method/uri) only for a log format that shows it. */
    @Test
    void theRequestLineIsCapturedWhenTheLogFormatShowsIt() throws Exception {
        Config c = translate("""
                defaults
                  mode http
                  option httplog
                frontend logged
                  bind 127.0.0.1:18080
                frontend tcplogged
                  bind 127.0.0.1:18081
                  option tcplog
                frontend method
                  bind 127.0.0.1:18082
                  log-format "%ci %HM"
                frontend retries
                  bind 127.0.0.1:18083
                  log-format "%ci %rc"
                defaults
                  mode http
                listen plain
                  bind 127.0.0.1:18084
                  server s 127.0.0.1:9001
                """);
        assertTrue(c.getBoolean("frontends.logged.capture-request-line"));
        assertFalse(c.getBoolean("frontends.tcplogged.capture-request-line"));
        assertTrue(c.getBoolean("frontends.method.capture-request-line"));
        assertFalse(c.getBoolean("frontends.retries.capture-request-line"));
        assertFalse(c.getBoolean("frontends.plain.capture-request-line"));
    }

    @Test
    void eachProxyTakesTheLastDefaultsBeforeIt() throws Exception {
        Config c = translate("""
                defaults
                  mode http
                  timeout client 7s
                  timeout connect 2s
                  timeout server 3s
                frontend a
                  bind 127.0.0.1:18080
                  default_backend b
                backend b
                  server s 127.0.0.1:9001
                defaults
                  mode tcp
                  timeout client 1m
                  timeout connect 4s
                  timeout server 5s
                  retries 1
                frontend t
                  bind 127.0.0.1:18081
                  timeout client 9s
                  default_backend u
                backend u
                  server s 127.0.0.1:9002
                """);
        assertEquals("http", c.getString("frontends.a.mode"));
        assertEquals("7s", c.getString("frontends.a.timeout.client"));
        assertEquals("2s", c.getString("backends.b.timeout.connect"));
        assertFalse(c.hasPath("backends.b.retries"));
        assertEquals("tcp", c.getString("frontends.t.mode"));
        assertEquals("9s", c.getString("frontends.t.timeout.client"), "the proxy's own line wins");
        assertEquals("9s", c.getString("frontends.t.timeout.http-request"), "falls back to timeout client");
        assertEquals(1, c.getInt("backends.u.retries"));
    }

    @Test
    void namedDefaultsAndFromWithTheirRulesFirst() throws Exception {
        Config c = translate("""
                defaults base
                  mode http
                  timeout client 5s
                  timeout connect 1s
                  timeout server 5s
                defaults rules from base
                  http-request set-header X-From-Defaults 1
                defaults
                  mode tcp
                  timeout client 1s
                  timeout connect 1s
                  timeout server 1s
                frontend web from rules
                  bind 127.0.0.1:18080
                  http-request set-header X-Own 1
                  default_backend app
                backend app from base
                  server s 127.0.0.1:9001
                """);
        assertEquals("http", c.getString("frontends.web.mode"));
        assertEquals(List.of("set-header X-From-Defaults 1", "set-header X-Own 1"), c.getStringList("frontends.web.http-request"));
        assertEquals("http", c.getString("backends.app.mode"));
    }

    @Test
    void withoutModeAProxyIsTcpAsInHaproxy() throws Exception {
        Config c = translate("""
                defaults
                  timeout client 5s
                  timeout connect 1s
                  timeout server 5s
                listen l
                  bind 127.0.0.1:18080
                  server s 127.0.0.1:9001
                """);
        assertEquals("tcp", c.getString("frontends.l.mode"));
        assertEquals("tcp", c.getString("backends.l.mode"));
    }

    @Test
    void aListenSectionIsAFrontendAndABackendOfItsName() throws Exception {
        Config c = translate("""
                defaults
                  mode http
                  timeout client 5s
                  timeout connect 1s
                  timeout server 5s
                listen web
                  bind 127.0.0.1:18080
                  acl api path_beg /api
                  http-request set-header X-Api 1 if api
                  option forwardfor
                  option http-buffer-request
                  use_backend other if api
                  server s1 127.0.0.1:9001
                listen other
                  server s2 127.0.0.1:9002
                """);
        assertEquals("web", c.getString("frontends.web.default-backend"));
        assertEquals(List.of("127.0.0.1:18080"), c.getStringList("frontends.web.bind"));
        assertEquals(List.of("set-header X-Api 1 if api"), c.getStringList("frontends.web.http-request"));
        assertFalse(c.hasPath("backends.web.http-request"), "rules run once, in the frontend part");
        assertTrue(c.getBoolean("backends.web.forwardfor"));
        assertTrue(c.getBoolean("frontends.web.http-buffer-request"));
        assertEquals(List.of("path_beg /api"), c.getStringList("backends.web.acl.api"));
        assertEquals("127.0.0.1:9001", c.getString("backends.web.servers.s1.address"));
        assertFalse(c.hasPath("frontends.other"), "a listen section without bind is only a backend");
        assertEquals("127.0.0.1:9002", c.getString("backends.other.servers.s2.address"));
    }
}
