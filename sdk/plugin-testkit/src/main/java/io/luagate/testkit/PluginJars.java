package io.luagate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The plugin jars a test can load: the plugin under test (its packaged jar) and the luagate plugins
 * found in the plugins directory, known by the Plugin-Id of their manifest, not by file name.
 */
public final class PluginJars {

    /** System property: the packaged jar of the plugin under test. */
    public static final String PLUGIN_JAR = "luagate.testkit.pluginJar";
    /** System property: a directory of other plugin jars (the shipped plugins among them). */
    public static final String PLUGINS_DIR = "luagate.testkit.pluginsDir";

    private static final String HOW = "run the test with failsafe under luagate-plugin-parent (mvn verify), "
            + "which sets it, or set it yourself";

    private PluginJars() {
    }

    /** The plugin under test, as built: the jar luagate would load from its plugins directory. */
    public static Path underTest() {
        String jar = System.getProperty(PLUGIN_JAR);
        if (jar == null || jar.isBlank()) {
            throw new IllegalStateException("system property " + PLUGIN_JAR + " is not set: " + HOW);
        }
        Path path = Path.of(jar);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(PLUGIN_JAR + " names " + path
                    + ", which is not a file: the plugin's jar exists after the package phase, so tests using it are *IT run by failsafe");
        }
        return path;
    }

    /** The jar of the plugin whose Plugin-Id is {@code id}, from the plugins directory. */
    public static Path byId(String id) {
        Map<String, Path> available = available();
        Path jar = available.get(id);
        if (jar == null) {
            throw new IllegalArgumentException("no plugin '" + id + "' in " + System.getProperty(PLUGINS_DIR)
                    + " (plugins there: " + String.join(", ", available.keySet())
                    + "); a plugin that is not a dependency of the testkit needs a test dependency on its artifact");
        }
        return jar;
    }

    /** Every plugin jar of the plugins directory, by Plugin-Id. */
    public static Map<String, Path> available() {
        String dir = System.getProperty(PLUGINS_DIR);
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException("system property " + PLUGINS_DIR + " is not set: " + HOW);
        }
        Map<String, Path> plugins = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            List<Path> jars = new ArrayList<>(files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList());
            for (Path jar : jars) {
                String id = pluginId(jar);
                if (id != null) {
                    plugins.put(id, jar);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the plugins directory " + dir, e);
        }
        return plugins;
    }

    /** The Plugin-Id of a jar's manifest, or null when it is not a plugin. */
    static String pluginId(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            var manifest = file.getManifest();
            return manifest == null ? null : manifest.getMainAttributes().getValue("Plugin-Id");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }
}
