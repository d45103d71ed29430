package io.luagate.kernel.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HAProxy's balance, hash-type and hash-balance-factor lines, checked by HAProxy, then translated. */
class BalanceImportTest {

    @TempDir
    Path dir;

    @Test
    void everyAlgorithmOfTheDefaultDistributionIsTranslated() throws Exception {
        StringBuilder cfg = new StringBuilder("""
                defaults
                  mode http
                  timeout client 5s
                  timeout connect 1s
                  timeout server 5s
                  hash-type consistent
                frontend web
                  bind 127.0.0.1:18080
                  default_backend b0
                """);
        List<String> lines = List.of("balance leastconn", "balance random", "balance random(3)", "balance source",
                "balance uri len 10 depth 2 whole", "balance url_param id", "balance hdr(host) use_domain_only",
                "balance hash req.hdr(x-user),lower", "balance roundrobin\n  hash-type map-based crc32 avalanche\n  hash-balance-factor 150");
        for (int i = 0; i < lines.size(); i++) {
            cfg.append("backend b").append(i).append("\n  ").append(lines.get(i)).append("\n  server s 127.0.0.1:9001\n");
        }
        ImportResult result = HaproxyConfigs.translate(dir, cfg.toString(), Map.of());
        assertEquals(List.of(), result.unsupported(), result.hocon());
        Config c = ConfigFactory.parseString(result.hocon());
        assertEquals("leastconn", c.getString("backends.b0.balance"));
        assertEquals("random", c.getString("backends.b1.balance"));
        assertEquals("random(3)", c.getString("backends.b2.balance"));
        assertEquals("source", c.getString("backends.b3.balance"));
        assertEquals("uri len 10 depth 2 whole", c.getString("backends.b4.balance"));
        assertEquals("url_param id", c.getString("backends.b5.balance"));
        assertEquals("hdr(host) use_domain_only", c.getString("backends.b6.balance"));
        assertEquals("hash req.hdr(x-user),lower", c.getString("backends.b7.balance"));
        assertEquals("consistent", c.getString("backends.b0.hash-type"), "from the defaults");
        assertEquals("map-based crc32 avalanche", c.getString("backends.b8.hash-type"));
        assertEquals(150, c.getInt("backends.b8.hash-balance-factor"));
        // luagate reads every translated value (its balancer plugins are not loaded in a kernel test).
        assertEquals(List.of(), HaproxyConfigs.luagateProblems(dir, result.hocon()));
    }

    @Test
    void algorithmsWithoutAPluginAreReported() throws Exception {
        ImportResult result = HaproxyConfigs.translate(dir, """
                defaults
                  mode http
                  timeout client 5s
                  timeout connect 1s
                  timeout server 5s
                frontend web
                  bind 127.0.0.1:18080
                  default_backend a
                backend a
                  balance static-rr
                  server s 127.0.0.1:9001
                backend b
                  balance url_param id check_post
                  server s 127.0.0.1:9001
                backend c
                  balance rdp-cookie
                  server s 127.0.0.1:9001
                """, Map.of());
        assertEquals(List.of("haproxy.cfg:10: balance static-rr: not supported",
                "haproxy.cfg:13: balance url_param id check_post: not supported",
                "haproxy.cfg:16: balance rdp-cookie: not supported"), result.unsupported());
        Config c = ConfigFactory.parseString(result.hocon());
        assertFalse(c.hasPath("backends.a.balance"));
    }
}
