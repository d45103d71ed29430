package io.luagate.kernel.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole configuration translated, and the translation read back by luagate. */
class HaproxyImporterTest {

    @TempDir
    Path dir;

    @Test
    void cpuMapLinesBecomeGlobalCpuMap() throws Exception {
        ImportResult result = HaproxyConfigs.translate(dir, """
                global
                  nbthread 2
                  cpu-map auto:1/1-2 0-1
                  cpu-map 1/all   0-1
                defaults
                  mode http
                  timeout client 5s
                  timeout server 10s
                  timeout connect 1s
                frontend web
                  bind 127.0.0.1:18080
                  http-request return status 200
                """, Map.of());
        String hocon = result.hocon();
        assertEquals(List.of(), result.unsupported(), hocon);
        assertTrue(hocon.contains("cpu-map = [\n    # haproxy.cfg:3\n    \"auto:1/1-2 0-1\"\n    # haproxy.cfg:4\n    \"1/all 0-1\"\n"), hocon);
    }

    @Test
    void aTypicalHttpConfigurationTranslatesAndLoads() throws Exception {
        Files.writeString(dir.resolve("blocked.lst"), "10.9.9.9\n");
        Files.writeString(dir.resolve("geo.map"), "127.0.0.0/8 local\n");
        ImportResult result = HaproxyConfigs.translate(dir, """
                global
                  nbthread 2
                  maxconn 500
                  daemon
                  tune.bufsize 32768
                defaults
                  mode http
                  timeout client 5s
                  timeout server 10s
                  timeout connect 1s
                  option httplog
                frontend web
                  bind 127.0.0.1:18080
                  bind :18081 thread 1
                  acl is_api path_beg /api
                  acl is_api hdr(host) -m beg api.
                  acl bad src -f blocked.lst
                  http-request deny if bad
                  http-request set-header X-Test "a b" if is_api
                  http-response set-header X-Geo %[src,map_ip(geo.map,unknown)]
                  use_backend api if is_api
                  default_backend app
                backend app
                  balance roundrobin
                  option forwardfor
                  retries 2
                  server s1 127.0.0.1:9001 weight 2
                  server s2 127.0.0.1:9002 disabled
                backend api
                  server a 127.0.0.1:9003
                """, Map.of());
        String hocon = result.hocon();
        assertEquals(List.of(), result.unsupported(), hocon);
        assertTrue(hocon.contains("threads = 2"), hocon);
        assertTrue(hocon.contains("maxconn = 500"), hocon);
        assertTrue(hocon.contains("bufsize = 32768"), hocon);
        assertTrue(hocon.contains("# haproxy.cfg:4: left out, luagate runs in the foreground"), hocon);
        assertTrue(hocon.contains("\"127.0.0.1:18080\""), hocon);
        assertTrue(hocon.contains("address = \"*:18081\""), hocon);
        assertTrue(hocon.contains("thread = 1"), hocon);
        assertTrue(hocon.contains("is_api = [\n"), hocon);
        assertTrue(hocon.contains("\"hdr(host) -m beg api.\""), hocon);
        assertTrue(hocon.contains("\"src -f " + dir.resolve("blocked.lst") + "\""), hocon);
        assertTrue(hocon.contains("\"set-header X-Test \\\"a b\\\" if is_api\""), hocon);
        assertTrue(hocon.contains("map_ip(" + dir.resolve("geo.map") + ",unknown)"), hocon);
        assertTrue(hocon.contains("default-backend = \"app\""), hocon);
        assertTrue(hocon.contains("forwardfor = true"), hocon);
        assertTrue(hocon.contains("# haproxy.cfg:20\n"), hocon);
        // Inherited from defaults, with the defaults' line named.
        assertTrue(hocon.contains("# haproxy.cfg:8 (defaults)\n      client = \"5s\""), hocon);
        // HAProxy waits for the head, and between requests, under timeout client.
        assertTrue(hocon.contains("http-request = \"5s\""), hocon);
        assertEquals(List.of(), HaproxyConfigs.luagateProblems(dir, hocon));
    }

    @Test
    void tuneHttpMaxhdrIsCarriedOverAndChecked() throws Exception {
        ImportResult result = HaproxyConfigs.translate(dir, """
                global
                  tune.http.maxhdr 50
                frontend web
                  mode http
                  bind 127.0.0.1:18080
                  timeout client 1s
                """, Map.of());
        assertEquals(List.of(), result.unsupported(), result.hocon());
        assertTrue(result.hocon().contains("maxhdr = 50"), result.hocon());
        assertEquals(List.of(), HaproxyConfigs.luagateProblems(dir, result.hocon()));
    }

    @Test
    void tuneH2KeysAreCarriedOverAndChecked() throws Exception {
        ImportResult result = HaproxyConfigs.translate(dir, """
                global
                  tune.h2.header-table-size 8192
                  tune.h2.initial-window-size 1048576
                  tune.h2.max-concurrent-streams 50
                  tune.h2.max-frame-size 32768
                frontend web
                  mode http
                  bind 127.0.0.1:18080
                  timeout client 1s
                """, Map.of());
        String hocon = result.hocon();
        assertTrue(hocon.contains("header-table-size = 8192"), hocon);
        assertTrue(hocon.contains("initial-window-size = 1048576"), hocon);
        assertTrue(hocon.contains("max-concurrent-streams = 50"), hocon);
        assertTrue(hocon.contains("max-frame-size = 32768"), hocon);
        assertEquals(List.of(), result.unsupported(), hocon);
        // Without the http plugin (none is loaded here) the section is refused, saying which sections plugins read.
        List<String> problems = HaproxyConfigs.luagateProblems(dir, hocon);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("global.tune.h2: unknown key") && problems.get(0).contains("none is installed"),
                problems.toString());
    }

    /** The check the tests rely on sees into the rules: a bad one is reported even without plugins. */
    @Test
    void luagatesCheckOfATranslationCompilesItsRules() throws Exception {
        // HAProxy refuses this line too: written without its check.
        Path cfg = Files.writeString(dir.resolve("bad.cfg"), """
                frontend web
                  mode http
                  bind 127.0.0.1:18080
                  timeout client 1s
                  http-request set-header X-A %[no_such_fetch]
                """);
        String hocon = HaproxyImporter.translate(cfg, dir).hocon();
        List<String> problems = HaproxyConfigs.luagateProblems(dir, hocon);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("no_such_fetch"), problems.toString());
    }

    @Test
    void tlsBindOptionsBecomeKeysOfTheBindObject() throws Exception {
        // haproxy -c loads the certificates: real ones.
        Files.createDirectories(dir.resolve("certs"));
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem",
                "-out", "ca.pem", "-days", "2", "-subj", "/CN=site.test");
        Files.writeString(dir.resolve("site.pem"), Files.readString(dir.resolve("ca.pem")) + Files.readString(dir.resolve("key.pem")));
        Files.copy(dir.resolve("site.pem"), dir.resolve("certs/one.pem"));
        ImportResult result = HaproxyConfigs.translate(dir, """
                frontend web
                  mode http
                  bind :443 ssl crt site.pem crt certs/ alpn h2,http/1.1 ca-file ca.pem verify optional ssl-min-ver TLSv1.2 ciphers ECDHE-RSA-AES128-GCM-SHA256
                  http-request return status 200
                """, Map.of());
        String hocon = result.hocon();
        assertEquals(List.of(), result.unsupported(), hocon);
        assertTrue(hocon.contains("address = \"*:443\""), hocon);
        assertTrue(hocon.contains("ssl = true"), hocon);
        assertTrue(hocon.contains("\"" + dir.resolve("site.pem") + "\""), hocon);
        assertTrue(hocon.contains("\"" + dir.resolve("certs/") + "\""), hocon);
        assertTrue(hocon.contains("\"h2\""), hocon);
        assertTrue(hocon.contains("\"http/1.1\""), hocon);
        assertTrue(hocon.contains("ca-file = \"" + dir.resolve("ca.pem") + "\""), hocon);
        assertTrue(hocon.contains("verify = \"optional\""), hocon);
        assertTrue(hocon.contains("ssl-min-ver = \"TLSv1.2\""), hocon);
        assertTrue(hocon.contains("ciphers = \"ECDHE-RSA-AES128-GCM-SHA256\""), hocon);
    }

    @Test
    void tlsListsVersionCapsAndRevocationListsAreTranslated() throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem",
                "-out", "ca.pem", "-days", "2", "-subj", "/CN=site.test");
        Files.writeString(dir.resolve("site.pem"), Files.readString(dir.resolve("ca.pem")) + Files.readString(dir.resolve("key.pem")));
        Files.writeString(dir.resolve("sites.list"), "site.pem www.site.test\n");
        Files.writeString(dir.resolve("index.txt"), "");
        Files.writeString(dir.resolve("crlnumber"), "01\n");
        Files.writeString(dir.resolve("crl.cnf"), "[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\ncrlnumber = crlnumber\n"
                + "default_md = sha256\ndefault_crl_days = 2\n");
        openssl("ca", "-config", "crl.cnf", "-gencrl", "-keyfile", "key.pem", "-cert", "ca.pem", "-out", "crl.pem");
        ImportResult result = HaproxyConfigs.translate(dir, """
                frontend web
                  mode http
                  bind :443 ssl crt-list sites.list ssl-max-ver TLSv1.3 ca-file ca.pem crl-file crl.pem verify optional
                  default_backend app
                backend app
                  mode http
                  server a 10.0.0.1:443 ssl verify required ca-file ca.pem crl-file crl.pem verifyhost api.test ssl-min-ver TLSv1.2 ssl-max-ver TLSv1.3 ciphers ECDHE-ECDSA-AES128-GCM-SHA256 ciphersuites TLS_AES_128_GCM_SHA256
                """, Map.of());
        String hocon = result.hocon();
        assertEquals(List.of(), result.unsupported(), hocon);
        assertTrue(hocon.contains("crt-list = [\"" + dir.resolve("sites.list") + "\"]")
                || hocon.contains("\"" + dir.resolve("sites.list") + "\""), hocon);
        assertTrue(hocon.contains("ssl-max-ver = \"TLSv1.3\""), hocon);
        assertTrue(hocon.contains("crl-file = \"" + dir.resolve("crl.pem") + "\""), hocon);
        assertTrue(hocon.contains("verifyhost = \"api.test\""), hocon);
        assertTrue(hocon.contains("ssl-min-ver = \"TLSv1.2\""), hocon);
        assertTrue(hocon.contains("ciphers = \"ECDHE-ECDSA-AES128-GCM-SHA256\""), hocon);
        assertTrue(hocon.contains("ciphersuites = \"TLS_AES_128_GCM_SHA256\""), hocon);
    }

    @Test
    void tlsServerOptionsBecomeKeysOfTheServerObject() throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem",
                "-out", "ca.pem", "-days", "2", "-subj", "/CN=client.test");
        Files.writeString(dir.resolve("client.pem"), Files.readString(dir.resolve("ca.pem")) + Files.readString(dir.resolve("key.pem")));
        ImportResult result = HaproxyConfigs.translate(dir, """
                frontend web
                  mode http
                  bind :80
                  default_backend app
                backend app
                  mode http
                  server a 10.0.0.1:443 ssl verify required ca-file ca.pem sni req.hdr(host) alpn h2,http/1.1 crt client.pem
                  server b 10.0.0.2:443 ssl verify none
                """, Map.of());
        String hocon = result.hocon();
        assertEquals(List.of(), result.unsupported(), hocon);
        assertTrue(hocon.contains("ssl = true"), hocon);
        assertTrue(hocon.contains("verify = \"required\""), hocon);
        assertTrue(hocon.contains("verify = \"none\""), hocon);
        assertTrue(hocon.contains("ca-file = \"" + dir.resolve("ca.pem") + "\""), hocon);
        assertTrue(hocon.contains("crt = \"" + dir.resolve("client.pem") + "\""), hocon);
        assertTrue(hocon.contains("sni = \"req.hdr(host)\""), hocon);
        assertTrue(hocon.contains("\"h2\""), hocon);
    }

    @Test
    void healthChecksAndRedispatchTranslateToTheSameKeys() throws Exception {
        ImportResult result = HaproxyConfigs.translate(dir, """
                defaults
                  mode http
                  timeout connect 1s
                  default-server inter 3s fall 2
                frontend web
                  bind :80
                  default_backend app
                backend app
                  option redispatch
                  option httpchk GET /health HTTP/1.1
                  http-check send hdr Host example.com
                  http-check expect status 200
                  timeout check 500ms
                  default-server rise 3
                  server a 10.0.0.1:80 check inter 1s fastinter 200 downinter 5s port 8081 addr 10.0.0.9 observe layer7 error-limit 5 on-error mark-down
                  server b 10.0.0.2:80 check backup
                """, Map.of());
        String hocon = result.hocon();
        assertEquals(List.of(), result.unsupported(), hocon);
        Path file = Files.writeString(dir.resolve("luagate.conf"), hocon);
        io.luagate.kernel.config.Settings.Backend app = io.luagate.kernel.config.ConfigLoader.load(file, dir).backends().get("app");
        assertEquals(-1, app.redispatch());
        io.luagate.spi.health.ServerCheckSettings a = app.servers().get(0).check();
        assertTrue(a.check());
        assertEquals(1000, a.interMillis());
        assertEquals(200, a.fastInterMillis());
        assertEquals(5000, a.downInterMillis());
        assertEquals(3, a.rise());
        assertEquals(2, a.fall(), "from the defaults section's default-server");
        assertEquals(8081, a.port());
        assertEquals(io.luagate.spi.health.Observe.LAYER7, a.observe());
        assertEquals(io.luagate.spi.health.OnError.MARK_DOWN, a.onError());
        assertEquals("/health", a.http().uri());
        assertEquals(List.of(Map.entry("Host", "example.com")), a.http().headers());
        assertEquals(500, a.checkTimeoutMillis());
        assertTrue(app.servers().get(1).backup() && app.servers().get(1).check().check());
    }

    @Test
    void bindProtoH2BecomesAKeyOfTheBindObject() throws Exception {
        ImportResult result = HaproxyConfigs.translate(dir, """
                frontend web
                  mode http
                  bind 127.0.0.1:8080 proto h2
                  bind 127.0.0.1:8081
                  http-request return status 200
                """, Map.of());
        String hocon = result.hocon();
        assertEquals(List.of(), result.unsupported(), hocon);
        assertTrue(hocon.contains("address = \"127.0.0.1:8080\""), hocon);
        assertTrue(hocon.contains("proto = \"h2\""), hocon);
        assertTrue(hocon.contains("\"127.0.0.1:8081\""), hocon);
    }

    @Test
    void serverProtoH2BecomesAKeyOfTheServerObject() throws Exception {
        ImportResult result = HaproxyConfigs.translate(dir, """
                defaults
                  timeout client 5s
                  timeout server 5s
                  timeout connect 1s
                frontend web
                  mode http
                  bind 127.0.0.1:8080
                  default_backend app
                backend app
                  mode http
                  server a 127.0.0.1:9001 proto h2
                  server b 127.0.0.1:9002 proto h1
                """, Map.of());
        String hocon = result.hocon();
        assertEquals(List.of(), result.unsupported(), hocon);
        assertTrue(hocon.contains("proto = \"h2\""), hocon);
        assertTrue(hocon.contains("proto = \"h1\""), hocon);
        assertEquals(List.of(), HaproxyConfigs.luagateProblems(dir, hocon));
    }

    private void openssl(String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertEquals(0, process.waitFor());
    }
}
