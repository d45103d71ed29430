package io.luagate.kernel.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File names come out absolute, naming the file HAProxy opens: from its current directory, or as
 * the last {@code default-path} before the line says. Every sample is run through haproxy -c
 * from that directory, so a wrong guess of where HAProxy looks fails the test.
 */
class ImportedPathsTest {

    @TempDir
    Path cwd;

    private static final String TIMEOUTS = """
            defaults
              mode http
              timeout client 5s
              timeout connect 1s
              timeout server 5s
            """;

    private Config translate(Path cfg, String text) throws Exception {
        ImportResult result = HaproxyConfigs.translate(cfg, cwd, text, Map.of());
        assertEquals(List.of(), result.unsupported(), result.hocon());
        return ConfigFactory.parseString(result.hocon());
    }

    private Path file(Path path, String content) throws Exception {
        Files.createDirectories(path.getParent());
        return Files.writeString(path, content);
    }

    @Test
    void relativeNamesResolveFromTheCurrentDirectory() throws Exception {
        Path cfg = cwd.resolve("etc/haproxy.cfg");
        file(cwd.resolve("lua/hello.lua"), "core.register_service('hello', 'http', function(applet) end)\n");
        file(cwd.resolve("lua/per.lua"), "local x = 1\n");
        file(cwd.resolve("maps/geo.map"), "127.0.0.0/8 local\n");
        file(cwd.resolve("maps/ips.lst"), "10.0.0.1\n");
        file(cwd.resolve("pages/hello.txt"), "hello\n");
        Config c = translate(cfg, """
                global
                  lua-prepend-path lua/?.lua
                  lua-load lua/hello.lua
                  lua-load-per-thread lua/per.lua
                """ + TIMEOUTS + """
                frontend web
                  bind 127.0.0.1:18080
                  acl listed src -f maps/ips.lst
                  http-request return status 200 content-type text/plain lf-file pages/hello.txt if { path /hello }
                  http-request set-header X-Geo %[src,map_ip(maps/geo.map,none)] if listed
                  http-request set-map(maps/geo.map) %[src] seen if listed
                """);
        String root = cwd.toAbsolutePath().normalize().toString();
        assertEquals(List.of(root + "/lua/?.lua"), c.getStringList("lua.prepend-path"));
        assertEquals(List.of(root + "/lua/hello.lua"), c.getStringList("lua.load"));
        assertEquals(List.of(root + "/lua/per.lua"), c.getStringList("lua.load-per-thread"));
        assertEquals(List.of("src -f " + root + "/maps/ips.lst"), c.getStringList("frontends.web.acl.listed"));
        assertEquals(List.of(
                "return status 200 content-type text/plain lf-file " + root + "/pages/hello.txt if { path /hello }",
                "set-header X-Geo %[src,map_ip(" + root + "/maps/geo.map,none)] if listed",
                "set-map(" + root + "/maps/geo.map) %[src] seen if listed"), c.getStringList("frontends.web.http-request"));
    }

    @Test
    void defaultPathChangesWhereTheLinesAfterItLook() throws Exception {
        Path cfg = cwd.resolve("etc/haproxy/haproxy.cfg");
        file(cwd.resolve("etc/haproxy/a.lua"), "local a = 1\n");
        file(cwd.resolve("etc/b.lua"), "local b = 1\n");
        file(cwd.resolve("srv/c.lua"), "local c = 1\n");
        file(cwd.resolve("d.lua"), "local d = 1\n");
        file(cwd.resolve("srv/ips.lst"), "10.0.0.1\n");
        Config c = translate(cfg, """
                global
                  default-path config
                  lua-load a.lua
                  default-path parent
                  lua-load b.lua
                  default-path current
                  lua-load d.lua
                  default-path origin srv
                  lua-load c.lua
                """ + TIMEOUTS + """
                frontend web
                  bind 127.0.0.1:18080
                  acl listed src -f ips.lst
                  http-request deny if listed
                """);
        String root = cwd.toAbsolutePath().normalize().toString();
        assertEquals(List.of(root + "/etc/haproxy/a.lua", root + "/etc/b.lua", root + "/d.lua", root + "/srv/c.lua"),
                c.getStringList("lua.load"));
        assertEquals(List.of("src -f " + root + "/srv/ips.lst"), c.getStringList("frontends.web.acl.listed"));
    }

    @Test
    void aNameWithBlanksIsQuotedForTheRuleParser() throws Exception {
        Path cfg = cwd.resolve("haproxy.cfg");
        file(cwd.resolve("my lists/ips.lst"), "10.0.0.1\n");
        Config c = translate(cfg, TIMEOUTS + """
                frontend web
                  bind 127.0.0.1:18080
                  acl listed src -f "my lists/ips.lst"
                  http-request deny if listed
                """);
        String root = cwd.toAbsolutePath().normalize().toString();
        assertEquals(List.of("src -f '" + root + "/my lists/ips.lst'"), c.getStringList("frontends.web.acl.listed"));
    }
}
