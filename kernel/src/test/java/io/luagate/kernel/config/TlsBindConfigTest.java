package io.luagate.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.luagate.kernel.plugin.Plugins;
import io.luagate.kernel.proxy.ProxyBuilder;
import io.luagate.kernel.rule.RuleLanguage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bind objects: the kernel reads address, thread and ssl; a TLS bind needs the tls plugin, and says so. */
class TlsBindConfigTest {

    @TempDir
    Path dir;

    private Settings settings(String text) throws IOException {
        return ConfigLoader.load(Files.writeString(dir.resolve("test.conf"), text), dir);
    }

    @Test
    void aTlsBindKeepsItsKeysForThePlugin() throws IOException {
        Settings settings = settings("""
                frontends.web {
                  bind = [ "127.0.0.1:1", { address = "127.0.0.1:2", ssl = true, crt = [ "certs/" ], verify = optional },
                           { address = "127.0.0.1:3", ssl = false } ]
                }
                """);
        List<Settings.Bind> binds = settings.frontends().get("web").binds();
        assertNull(binds.get(0).tls());
        assertNotNull(binds.get(1).tls());
        assertEquals(List.of("certs/"), binds.get(1).tls().getStringList("crt"));
        assertNull(binds.get(2).tls());
    }

    @Test
    void protoIsReadAndOnlyH1OrH2() throws IOException {
        Settings settings = settings("frontends.web { bind = [ { address = \"127.0.0.1:2\", proto = h2 }, \"127.0.0.1:3\" ] }\n");
        assertEquals("h2", settings.frontends().get("web").binds().get(0).proto());
        assertNull(settings.frontends().get("web").binds().get(1).proto());
        InvalidConfigException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidConfigException.class,
                () -> settings("frontends.web { bind = [ { address = \"127.0.0.1:2\", proto = h3 } ] }\n"));
        assertEquals(List.of(dir.resolve("test.conf") + ":1: frontends.web.bind.proto: must be h1 or h2, not \"h3\""),
                e.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void tlsKeysWithoutSslAreUnknown() {
        InvalidConfigException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidConfigException.class,
                () -> settings("frontends.web { bind = [ { address = \"127.0.0.1:2\", crt = \"x.pem\" } ] }\n"));
        assertEquals(List.of(dir.resolve("test.conf") + ":1: frontends.web.bind.crt: unknown key"),
                e.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void sslWithoutTheTlsPluginNamesIt() throws IOException {
        Settings settings = settings("""
                frontends.web {
                  mode = http
                  bind = [ { address = "127.0.0.1:2", ssl = true, crt = "x.pem" } ]
                }
                """);
        Path none = dir.resolve("no-plugins");
        try (Plugins plugins = new Plugins(none, () -> null)) {
            ProxyBuilder builder = new ProxyBuilder(settings, plugins, TestCodecs.HTTP_AND_TCP, dir, null,
                    RuleLanguage.builtin(dir, Map.of()), null);
            assertEquals(List.of(dir.resolve("test.conf") + ":3: frontends.web.bind.ssl: ssl = true, but no installed plugin provides tls"
                    + " (none is installed in " + none + ")"), builder.validate().list().stream().map(ConfigProblem::toString).toList());
        }
    }
}
