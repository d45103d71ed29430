package io.luagate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * What luagate-plugin-parent makes of a plugin, checked on the shipped plugins' jars (all built on
 * it): the PF4J manifest from the plugin's pom, the extension index, and nothing the kernel provides.
 */
class ParentBuiltJarsIT {

    @Test
    void everyShippedPluginJarIsAWholePlugin() throws IOException {
        Map<String, Path> plugins = PluginJars.available();
        assertEquals(List.of("balancer-roundrobin", "http", "lua", "pool", "tcp", "tls"), List.copyOf(plugins.keySet()));
        for (Map.Entry<String, Path> plugin : plugins.entrySet()) {
            try (JarFile jar = new JarFile(plugin.getValue().toFile())) {
                Attributes manifest = jar.getManifest().getMainAttributes();
                String where = plugin.getValue().getFileName().toString();
                assertEquals("luagate", manifest.getValue("Plugin-Provider"), where);
                assertEquals(System.getProperty("luagate.testkit.version"), manifest.getValue("Plugin-Version"), where);
                assertTrue(manifest.getValue("Plugin-Requires").matches("\\^\\d+\\.\\d+\\.\\d+"), where);
                assertTrue(!manifest.getValue("Plugin-Description").isBlank(), where);
                assertNotNull(jar.getEntry("META-INF/extensions.idx"), where + " has no extension index");
                List<String> provided = jar.stream().map(e -> e.getName())
                        .filter(n -> n.startsWith("io/netty/") || n.startsWith("io/luagate/spi/") || n.startsWith("org/pf4j/")
                                || n.startsWith("org/slf4j/"))
                        .limit(3).toList();
                assertEquals(List.of(), provided, where + " holds classes the kernel provides");
            }
        }
    }

    @Test
    void pluginRequiresIsTheSpiLevelOrALaterCompatibleOne() throws IOException {
        try (JarFile jar = new JarFile(PluginJars.underTest().toFile())) {
            String requires = jar.getManifest().getMainAttributes().getValue("Plugin-Requires");
            assertEquals("^" + System.getProperty("luagate.testkit.spiLevel"), requires);
            var versions = new org.pf4j.DefaultVersionManager();
            String level = System.getProperty("luagate.testkit.spiLevel");
            int major = Integer.parseInt(level.split("\\.")[0]);
            assertTrue(versions.checkVersionConstraint(level, requires));
            assertTrue(versions.checkVersionConstraint(major + ".99.0", requires));
            assertTrue(!versions.checkVersionConstraint((major + 1) + ".0.0", requires));
            assertTrue(!versions.checkVersionConstraint(major == 0 ? "0.0.0" : (major - 1) + ".99.0", requires));
        }
    }
}
