package io.luagate.kernel.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a real plugin jar from Java sources, as an outside author's build would: javac against the
 * SPI (the test's class path), PF4J's annotation processor given explicitly (or not, to get the jar
 * a JDK 23+ build without a processor path makes), and a PF4J manifest.
 */
public final class PluginJarBuilder {

    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, String> manifest = new LinkedHashMap<>();
    private final List<String> omitted = new ArrayList<>();
    private boolean index = true;

    private PluginJarBuilder() {
    }

    /** A plugin jar with {@code Plugin-Id: id}, {@code Plugin-Version: version}. */
    public static PluginJarBuilder plugin(String id, String version) {
        PluginJarBuilder builder = new PluginJarBuilder();
        builder.manifest.put("Plugin-Id", id);
        builder.manifest.put("Plugin-Version", version);
        return builder;
    }

    /** A jar with classes and a manifest but no {@code Plugin-*} entry: a library. */
    public static PluginJarBuilder library() {
        return new PluginJarBuilder();
    }

    /** Adds or replaces a manifest entry; a {@code null} value removes it. */
    public PluginJarBuilder manifest(String name, String value) {
        if (value == null) {
            manifest.remove(name);
        } else {
            manifest.put(name, value);
        }
        return this;
    }

    /** Adds the source of {@code className}. */
    public PluginJarBuilder source(String className, String source) {
        sources.put(className, source);
        return this;
    }

    /** Compiles without PF4J's processor: no {@code META-INF/extensions.idx}. */
    public PluginJarBuilder withoutIndex() {
        index = false;
        return this;
    }

    /** Compiles {@code className} (the newer SPI a plugin was built against) but leaves it out of the jar. */
    public PluginJarBuilder omit(String className) {
        omitted.add(className.replace('.', '/') + ".class");
        return this;
    }

    /** Compiles the sources and writes the jar as {@code dir/fileName}. */
    public Path build(Path dir, String fileName) {
        try {
            Path work = Files.createTempDirectory("plugin-build");
            Path src = work.resolve("src");
            Path classes = Files.createDirectories(work.resolve("classes"));
            List<String> files = new ArrayList<>();
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue());
                files.add(file.toString());
            }
            if (!files.isEmpty()) {
                compile(classes, files);
            }
            Files.createDirectories(dir);
            Path jar = dir.resolve(fileName);
            write(jar, classes);
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void compile(Path classes, List<String> files) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classPath = System.getProperty("java.class.path");
        List<String> options = new ArrayList<>(List.of("--release", "21", "-classpath", classPath, "-d", classes.toString()));
        if (index) {
            String pf4j = Stream.of(classPath.split(File.pathSeparator)).filter(p -> p.contains("pf4j")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no pf4j jar on the class path"));
            options.addAll(List.of("-processorpath", pf4j));
        } else {
            options.add("-proc:none");
        }
        options.addAll(files);
        StringWriter errors = new StringWriter();
        int status = javac.run(null, null, new java.io.PrintStream(new java.io.ByteArrayOutputStream()) {
            @Override
            public void write(byte[] b, int off, int len) {
                errors.write(new String(b, off, len));
            }
        }, options.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("javac failed:\n" + errors);
        }
    }

    private void write(Path jar, Path classes) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.forEach((name, value) -> mf.getMainAttributes().put(new Attributes.Name(name), value));
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, mf);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                String name = classes.relativize(file).toString().replace(File.separatorChar, '/');
                if (omitted.contains(name)) {
                    continue;
                }
                jarOut.putNextEntry(new JarEntry(name));
                jarOut.write(Files.readAllBytes(file));
                jarOut.closeEntry();
            }
        }
    }
}
