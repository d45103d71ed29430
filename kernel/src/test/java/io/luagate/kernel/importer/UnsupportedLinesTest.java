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

/** What has no luagate equivalent is listed as file:line: keyword: not supported and commented out. */
class UnsupportedLinesTest {

    @TempDir
    Path dir;

    @Test
    void eachUntranslatedLineIsListedAndCommentedOut() throws Exception {
        ImportResult result = HaproxyConfigs.translate(dir, """
                global
                  nbthread 2
                  hard-stop-after 10s
                  lua-prepend-path /usr/lib/lua/?.so cpath
                  tune.lua.maxmem 64
                  tune.lua.forced-yield 5000
                  tune.lua.session-timeout 2s
                  tune.lua.service-timeout 3000
                  tune.lua.task-timeout 1m
                  stats socket /tmp/luagate-import-test.sock
                peers mesh
                  peer a 127.0.0.1:10000
                defaults
                  mode http
                  timeout client 5s
                  timeout connect 1s
                  timeout server 5s
                  timeout queue 5s
                  option httpclose
                  option persist
                frontend web
                  bind 127.0.0.1:18080
                  maxconn 100
                  tcp-request connection reject if { src 10.0.0.1 }
                  http-after-response set-header X-After 1
                  log global
                  option dontlognull
                  default_backend app
                backend app
                  balance first
                  server s1 127.0.0.1:9001 check inter 2s slowstart 10s backup
                  server s2 127.0.0.1:9002 backup
                """, Map.of());
        assertEquals(List.of(
                "haproxy.cfg:3: hard-stop-after: not supported",
                "haproxy.cfg:4: lua-prepend-path cpath: not supported",
                "haproxy.cfg:11: peers: not supported",
                "haproxy.cfg:18: timeout queue: not supported",
                "haproxy.cfg:20: option persist: not supported",
                "haproxy.cfg:23: maxconn: not supported",
                "haproxy.cfg:24: tcp-request connection: not supported",
                "haproxy.cfg:30: balance first: not supported",
                "haproxy.cfg:31: server slowstart: not supported"), result.unsupported(), result.hocon());
        String hocon = result.hocon();
        assertTrue(hocon.contains("# haproxy.cfg:3: hard-stop-after: not supported: hard-stop-after 10s"), hocon);
        assertTrue(hocon.contains("# haproxy.cfg:12: (in the section above): peer a 127.0.0.1:10000"), hocon);
        assertTrue(hocon.contains("# haproxy.cfg:10: left out, luagate has no stats socket"), hocon);
        assertTrue(hocon.contains("# haproxy.cfg:27: left out, luagate logs no line for a connection that sent nothing"), hocon);
        Config c = ConfigFactory.parseString(hocon);
        assertEquals(64L << 20, c.getLong("lua.maxmem"));
        assertEquals(5000, c.getInt("lua.forced-yield"));
        assertEquals("2s", c.getString("lua.session-timeout"));
        assertEquals("3000ms", c.getString("lua.service-timeout"));
        assertEquals("1m", c.getString("lua.task-timeout"));
        assertEquals(List.of("set-header X-After 1"), c.getStringList("frontends.web.http-after-response"));
        // option httpclose, from the defaults, is luagate's connection-mode in both proxies.
        assertEquals("close", c.getString("frontends.web.connection-mode"));
        assertEquals("close", c.getString("backends.app.connection-mode"));
        // The servers are kept without the options luagate lacks; backup is luagate's key too.
        assertTrue(c.getBoolean("backends.app.servers.s1.backup"));
        assertTrue(c.getBoolean("backends.app.servers.s1.check"), "check and inter translate (plugin health-check)");
        assertEquals("2s", c.getString("backends.app.servers.s1.inter"));
        assertTrue(c.getBoolean("backends.app.servers.s2.backup"));
        assertEquals("127.0.0.1:9001", c.getString("backends.app.servers.s1.address"));
        assertFalse(c.hasPath("backends.app.balance"), "left to luagate's default, the line being reported");
    }

    @Test
    void bindAddressesAndTheirOptions() throws Exception {
        ImportResult result = HaproxyConfigs.translate(dir, """
                defaults
                  mode tcp
                  timeout client 5s
                  timeout connect 1s
                  timeout server 5s
                frontend t
                  bind ipv4@127.0.0.1:18080,127.0.0.1:18081
                  bind ipv6@:::18082 thread 1
                  bind *:18083 name plain
                  bind 127.0.0.1:18090-18091
                  bind unix@/tmp/luagate-import-test.sock
                  tcp-request inspect-delay 2s
                  tcp-request content accept if { req.len gt 0 }
                  default_backend b
                backend b
                  tcp-response inspect-delay 1s
                  tcp-response content accept if { res.len gt 0 }
                  server s [::1]:9001
                  server t ipv6@::1:9002
                """, Map.of());
        assertEquals(List.of(
                "haproxy.cfg:9: bind name: not supported",
                "haproxy.cfg:10: bind 127.0.0.1:18090-18091: not supported",
                "haproxy.cfg:11: bind unix@/tmp/luagate-import-test.sock: not supported"), result.unsupported(), result.hocon());
        Config c = ConfigFactory.parseString(result.hocon());
        List<? extends Object> binds = c.getList("frontends.t.bind").unwrapped();
        assertEquals(List.of("127.0.0.1:18080", "127.0.0.1:18081", Map.of("address", "[::]:18082", "thread", 1), "*:18083"), binds);
        assertEquals(List.of("inspect-delay 2s", "content accept if { req.len gt 0 }"), c.getStringList("frontends.t.tcp-request"));
        assertEquals(List.of("inspect-delay 1s", "content accept if { res.len gt 0 }"), c.getStringList("backends.b.tcp-response"));
        assertEquals("[::1]:9001", c.getString("backends.b.servers.s.address"));
        assertEquals("[::1]:9002", c.getString("backends.b.servers.t.address"));
        assertEquals(List.of(), HaproxyConfigs.luagateProblems(dir, result.hocon()));
    }

    @Test
    void variablesInRulesAreExpandedWithTheirQuotingIntact() throws Exception {
        Files.writeString(dir.resolve("trace.lua"), """
                Trace = {}
                Trace.id = "trace"
                Trace.__index = Trace
                function Trace:new() return setmetatable({}, Trace) end
                core.register_filter("trace", Trace, function(filter, args) return filter end)
                """);
        ImportResult result = HaproxyConfigs.translate(dir, """
                global
                  lua-load trace.lua
                defaults
                  mode http
                  timeout client 5s
                  timeout connect 1s
                  timeout server 5s
                frontend web
                  bind "127.0.0.1:${PORT}"
                  http-request set-header X-Env "${GREETING}" if { path "/a b" }
                  http-request set-header X-Raw '${GREETING}' unless { hdr(x) -m str 'a"b' }
                  filter lua.trace "${GREETING}"
                """, Map.of("PORT", "18080", "GREETING", "say \"hi\""));
        assertEquals(List.of(), result.unsupported(), result.hocon());
        Config c = ConfigFactory.parseString(result.hocon());
        assertEquals(List.of("127.0.0.1:18080"), c.getStringList("frontends.web.bind"));
        assertEquals(List.of("set-header X-Env \"say \\\"hi\\\"\" if { path \"/a b\" }",
                        "set-header X-Raw '${GREETING}' unless { hdr(x) -m str 'a\"b' }"),
                c.getStringList("frontends.web.http-request"));
        assertEquals(List.of("lua.trace \"say \\\"hi\\\"\""), c.getStringList("frontends.web.filter"));
    }
}
