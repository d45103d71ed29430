package io.luagate.kernel.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** userlist sections, http-error, monitor-uri, monitor fail and timeout tarpit, translated and loaded. */
class ProxyAnswersImportTest {

    @TempDir
    Path dir;

    @Test
    void translatesAndLoads() throws Exception {
        ImportResult result = HaproxyConfigs.translate(dir, """
                userlist people
                  group admins users tiger,alice
                  group staff
                  user tiger insecure-password secret
                  user alice password $6$Zq8fP2$cxGEAo74uGtJoJpqI/KScU.0NyIS7ycLrqe5bPH1gqFQhk92p72WmnFu23M5EW8l.6Ibu/uIO1WfW6jCrJ7xn/ groups staff
                defaults
                  mode http
                  timeout client 5s
                  timeout connect 1s
                  timeout server 5s
                  timeout tarpit 2s
                  http-error status 503 content-type text/plain string "down"
                frontend web
                  bind 127.0.0.1:18080
                  monitor-uri /health
                  monitor fail if { nbsrv(app) lt 1 }
                  http-request auth realm People unless { http_auth_group(people) admins }
                  http-request tarpit if { path /trap }
                  http-request early-hint link "</a.css>; rel=preload"
                  http-request reject if { path /x }
                  default_backend app
                listen app
                  bind 127.0.0.1:18081
                  http-error status 403 content-type text/plain lf-string "no %[path]"
                  server s1 127.0.0.1:9001
                """, Map.of());
        String hocon = result.hocon();
        assertEquals(List.of(), result.unsupported(), hocon);
        Config c = ConfigFactory.parseString(hocon);
        assertEquals("secret", c.getString("userlists.people.users.tiger.insecure-password"));
        assertEquals(List.of("staff"), c.getStringList("userlists.people.users.alice.groups"));
        assertTrue(c.getString("userlists.people.users.alice.password").startsWith("$6$Zq8fP2$"));
        assertEquals(List.of("tiger", "alice"), c.getStringList("userlists.people.groups.admins"));
        assertEquals(List.of(), c.getStringList("userlists.people.groups.staff"));
        assertEquals("/health", c.getString("frontends.web.monitor-uri"));
        assertEquals(List.of("if { nbsrv(app) lt 1 }"), c.getStringList("frontends.web.monitor-fail"));
        assertEquals("2s", c.getString("frontends.web.timeout.tarpit"));
        assertEquals("2s", c.getString("backends.app.timeout.tarpit"));
        assertEquals(List.of("status 503 content-type text/plain string \"down\""), c.getStringList("frontends.web.http-error"));
        assertEquals(List.of("status 503 content-type text/plain string \"down\"", "status 403 content-type text/plain lf-string \"no %[path]\""),
                c.getStringList("backends.app.http-error"));
        assertEquals(c.getStringList("backends.app.http-error"), c.getStringList("frontends.app.http-error"),
                "a listen section's frontend and backend share HAProxy's one table");
        assertEquals(List.of(), HaproxyConfigs.luagateProblems(dir, hocon));
    }

    /** Lines HAProxy refuses too (haproxy -c names each), so they are translated without its check. */
    @Test
    void badLinesAreReported() throws Exception {
        Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), """
                userlist people
                  user tiger secret
                  group admins members tiger
                  frobnicate
                frontend web
                  mode http
                  bind 127.0.0.1:18080
                  monitor-uri
                  monitor fail when x
                  http-error
                """);
        ImportResult result = HaproxyImporter.translate(cfg, dir, name -> null);
        assertEquals(List.of("haproxy.cfg:2: user secret: not supported", "haproxy.cfg:3: group: not supported",
                "haproxy.cfg:4: frobnicate: not supported", "haproxy.cfg:8: monitor-uri: not supported",
                "haproxy.cfg:9: monitor fail: not supported", "haproxy.cfg:10: http-error: not supported"),
                result.unsupported(), result.hocon());
    }
}
