package io.luagate.kernel.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.pf4j.VersionManager;

/**
 * Every jar of the plugins directory, sorted into the plugins PF4J may load and the files that
 * will not serve, each with its reason. Nothing is loaded here: only manifests and indexes are read.
 */
final class PluginScan {

    static final String NO_INDEX_FIX = "it was compiled without PF4J's annotation processor, which javac on JDK 23+"
            + " no longer runs from the class path: list org.pf4j:pf4j in maven-compiler-plugin's"
            + " <annotationProcessorPaths> (javac: -processorpath pf4j.jar), as luagate-plugin-parent does";

    private final List<PluginJar> accepted = new ArrayList<>();
    private final List<PluginProblem> problems = new ArrayList<>();

    private PluginScan() {
    }

    /** Scans {@code dir} (absent: no plugins) against the SPI level {@code level}. */
    static PluginScan scan(Path dir, String level, VersionManager versions) {
        PluginScan scan = new PluginScan();
        if (!Files.isDirectory(dir)) {
            return scan;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            scan.problems.add(new PluginProblem(dir.toString(), "cannot list the plugins directory: " + e.getMessage()));
            return scan;
        }
        Map<String, List<PluginJar>> byId = new LinkedHashMap<>();
        for (Path file : files) {
            PluginJar jar = scan.inspect(file, level, versions);
            if (jar != null) {
                byId.computeIfAbsent(jar.id(), id -> new ArrayList<>()).add(jar);
            }
        }
        for (Map.Entry<String, List<PluginJar>> entry : byId.entrySet()) {
            List<PluginJar> jars = entry.getValue();
            if (jars.size() == 1) {
                scan.accepted.add(jars.get(0));
            } else {
                // Loading either would depend on the directory's order: the user says which one.
                String found = jars.stream().map(j -> j.fileName() + " (version " + j.version() + ")")
                        .collect(Collectors.joining(" and "));
                scan.problems.add(new PluginProblem(dir.toString(), "plugin id '" + entry.getKey() + "' is in "
                        + jars.size() + " jars: " + found + "; none of them is loaded: remove all but one"));
            }
        }
        return scan;
    }

    /** The jar as a loadable plugin, or {@code null} with its problem recorded. */
    private PluginJar inspect(Path file, String level, VersionManager versions) {
        PluginJar jar;
        try {
            jar = PluginJar.read(file);
        } catch (IOException | SecurityException e) {
            problems.add(new PluginProblem(file.toString(), "not a plugin: cannot be read as a jar (" + e.getMessage() + ")"));
            return null;
        }
        if (jar.id() == null) {
            problems.add(new PluginProblem(file.toString(), jar.pluginEntries()
                    ? "no Plugin-Id in its manifest: set Plugin-Id (and Plugin-Version, Plugin-Requires)"
                    : "not a plugin: its manifest has no Plugin-Id (a library? shade it into the plugin jar that uses it;"
                            + " plugins/ holds plugin jars only)"));
            return null;
        }
        if (jar.version() == null) {
            problems.add(new PluginProblem(file.toString(), "plugin '" + jar.id() + "' has no Plugin-Version in its manifest"));
            return null;
        }
        if (!jar.indexed()) {
            problems.add(new PluginProblem(file.toString(), "plugin " + jar.label() + " has no extensions index ("
                    + PluginJar.INDEX + "), so it would provide nothing: " + NO_INDEX_FIX));
            return null;
        }
        String refusal = refusal(jar, level, versions);
        if (refusal != null) {
            problems.add(new PluginProblem(file.toString(), refusal));
            return null;
        }
        return jar;
    }

    /** Why {@code jar}'s {@code Plugin-Requires} refuses SPI level {@code level}, or {@code null}. */
    static String refusal(PluginJar jar, String level, VersionManager versions) {
        String requires = jar.requires();
        if (requires == null || requires.equals("*")) {
            return null;
        }
        // PF4J reads a bare version as a minimum (its exactVersionAllowed is off): so does this check.
        String expression = requires.matches("\\d+\\.\\d+\\.\\d+") ? ">=" + requires : requires;
        try {
            if (versions.checkVersionConstraint(level, expression)) {
                return null;
            }
        } catch (RuntimeException e) {
            return "plugin " + jar.label() + ": Plugin-Requires '" + requires + "' is not a version expression ("
                    + e.getMessage() + ")";
        }
        return "plugin " + jar.label() + " requires SPI level '" + requires + "'; this luagate offers SPI level "
                + level + ": use a version of the plugin built for it";
    }

    List<PluginJar> accepted() {
        return accepted;
    }

    List<PluginProblem> problems() {
        return problems;
    }
}
