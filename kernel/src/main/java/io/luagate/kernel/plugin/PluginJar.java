package io.luagate.kernel.plugin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * One file of the plugins directory as its jar says before anything of it is loaded: the PF4J
 * manifest entries and whether it carries PF4J's extension index.
 *
 * @param file        the jar
 * @param id          {@code Plugin-Id}, or {@code null}
 * @param version     {@code Plugin-Version}, or {@code null}
 * @param provider    {@code Plugin-Provider}, or {@code null}
 * @param description {@code Plugin-Description}, or {@code null}
 * @param requires    {@code Plugin-Requires} (the SPI levels it accepts), or {@code null}
 * @param pluginEntries whether the manifest has any {@code Plugin-*} entry at all
 * @param indexed     whether {@code META-INF/extensions.idx} is in the jar
 */
record PluginJar(Path file, String id, String version, String provider, String description, String requires,
                 boolean pluginEntries, boolean indexed) {

    static final String INDEX = "META-INF/extensions.idx";

    /** @throws IOException when the file is not a readable jar */
    static PluginJar read(Path file) throws IOException {
        try (JarFile jar = new JarFile(file.toFile())) {
            Manifest manifest = jar.getManifest();
            Attributes main = manifest == null ? new Attributes() : manifest.getMainAttributes();
            boolean pluginEntries = main.keySet().stream().anyMatch(key -> key.toString().startsWith("Plugin-"));
            return new PluginJar(file, value(main, "Plugin-Id"), value(main, "Plugin-Version"),
                    value(main, "Plugin-Provider"), value(main, "Plugin-Description"), value(main, "Plugin-Requires"),
                    pluginEntries, jar.getEntry(INDEX) != null);
        }
    }

    private static String value(Attributes attributes, String name) {
        String value = attributes.getValue(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    String fileName() {
        return file.getFileName().toString();
    }

    /** {@code id version (file)}, as problems name a plugin. */
    String label() {
        return "'" + id + "' " + (version == null ? "" : version + " ") + "(" + fileName() + ")";
    }
}
