package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import io.luagate.kernel.config.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugins loaded as real jars from a plugins directory; what is missing is named. */
class PluginsIT {

    @TempDir
    Path home;

    /** A home whose plugins/ holds copies of the real built jars of the given plugin ids only. */
    private Path homeWith(String... ids) throws IOException {
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        Path all = Path.of(System.getProperty("luagate.allPlugins"));
        for (String id : ids) {
            try (Stream<Path> jars = Files.list(all)) {
                Path jar = jars.filter(p -> p.getFileName().toString().startsWith("luagate-plugin-" + id + "-"))
                        .findFirst().orElseThrow(() -> new AssertionError("no jar for plugin " + id + " in " + all));
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
        return home;
    }

    @Test
    void proxiesWithPluginsFromATemporaryDirectory() throws Exception {
        Path dir = homeWith("http", "balancer-roundrobin", "pool");
        try (TestUpstream up = TestUpstream.named("up");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                     backends.be { servers { s = "%s" } }
                     """.formatted(up.address()), dir);
             TestClient client = new TestClient(proxy.port("fe"))) {
            assertEquals(200, client.get("/x").status());
        }
    }

    @Test
    void aFeatureNoInstalledPluginProvidesStopsTheStartListingWhatIsInstalled() throws Exception {
        Path dir = homeWith("http", "balancer-roundrobin");
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> InProcessProxy.start("""
                frontends.web { bind = ["127.0.0.1:0"], default-backend = app }
                frontends.raw { bind = ["127.0.0.1:0"], mode = tcp, default-backend = db }
                backends.app { balance = leastconn, servers { s = "127.0.0.1:1" } }
                backends.db { mode = tcp, servers { s = "127.0.0.1:1" } }
                """, dir).close());
        String message = e.getMessage();
        assertTrue(message.contains("no installed plugin provides mode 'tcp' (installed: http)"), message);
        assertTrue(message.contains("no installed plugin provides balance 'leastconn' (installed: roundrobin)"), message);
        assertTrue(message.contains("http-reuse 'safe' keeps idle connections, but no installed plugin provides pool"), message);
        assertTrue(message.contains(".conf:2"), "the problem names the file and line: " + message);
    }

    @Test
    void aBadConfigurationIsRefusedWithFileLineAndKey() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> InProcessProxy.start("""
                global { threads = -1 }
                frontends.web {
                  bind = ["127.0.0.1:0"]
                  timeout { clinet = 5s, http-request = soon }
                  default-backend = nowhere
                }
                """).close());
        String message = e.getMessage();
        assertTrue(message.matches("(?s).*\\.conf:1: global\\.threads: -1 is out of range.*"), message);
        assertTrue(message.matches("(?s).*\\.conf:4: frontends\\.web\\.timeout\\.clinet: unknown key.*"), message);
        assertTrue(message.matches("(?s).*\\.conf:4: frontends\\.web\\.timeout\\.http-request: .*"), message);
        assertTrue(message.contains("no backend named 'nowhere'"), message);
        assertEquals(4, e.problems().size(), message);
    }
}
