package io.luagate.kernel.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.luagate.kernel.Luagate;
import io.luagate.kernel.config.ConfigLoader;
import io.luagate.kernel.config.ConfigProblem;
import io.luagate.kernel.config.InvalidConfigException;
import io.luagate.kernel.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test configurations: written to a directory, checked by the real HAProxy 2.6 when it is
 * installed ({@code haproxy -c}, so that every sample is a configuration HAProxy accepts),
 * translated, and the translation loaded by luagate.
 */
final class HaproxyConfigs {

    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");

    private HaproxyConfigs() {
    }

    /** Runs {@code haproxy -c -f cfg} in {@code cwd} and fails unless HAProxy accepts the file. */
    static void assertHaproxyAccepts(Path cfg, Path cwd, Map<String, String> env) throws IOException, InterruptedException {
        if (!Files.isExecutable(HAPROXY)) {
            return;
        }
        ProcessBuilder builder = new ProcessBuilder(HAPROXY.toString(), "-c", "-f", cfg.toString())
                .directory(cwd.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, process.exitValue(), "haproxy -c refused the sample:\n" + output);
    }

    /** Runs {@code haproxy -c -f cfg} and fails unless HAProxy refuses the file with {@code message} in its output. */
    static void assertHaproxyRefuses(Path cfg, String message) throws IOException, InterruptedException {
        if (!Files.isExecutable(HAPROXY)) {
            return;
        }
        Process process = new ProcessBuilder(HAPROXY.toString(), "-c", "-f", cfg.toString())
                .redirectErrorStream(true).start();
        // HAProxy prints the name's bytes as they are: read them as UTF-8 again.
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        assertEquals(1, process.exitValue(), "haproxy -c accepted the sample:\n" + output);
        org.junit.jupiter.api.Assertions.assertTrue(output.contains(message), message + " in\n" + output);
    }

    static ImportResult translate(Path dir, String text, Map<String, String> env) throws Exception {
        return translate(dir.resolve("haproxy.cfg"), dir, text, env);
    }

    /** Writes {@code cfg}, has HAProxy check it run from {@code cwd}, translates it with {@code cwd} as base. */
    static ImportResult translate(Path cfg, Path cwd, String text, Map<String, String> env) throws Exception {
        Files.createDirectories(cfg.getParent());
        Files.writeString(cfg, text);
        assertHaproxyAccepts(cfg, cwd, env);
        return HaproxyImporter.translate(cfg, cwd, env::get);
    }

    /**
     * What {@code luagate check} says about the translation, less the codec, balancer and pool
     * plugins that a kernel test has not (each problem naming one says "no installed plugin
     * provides ...").
     */
    static List<String> luagateProblems(Path dir, String hocon) throws IOException {
        return allLuagateProblems(dir, hocon).stream().filter(p -> !p.contains("no installed plugin provides ")).toList();
    }

    static List<String> allLuagateProblems(Path dir, String hocon) throws IOException {
        Path file = Files.writeString(dir.resolve("luagate.conf"), hocon);
        List<String> problems = new ArrayList<>();
        try {
            Settings settings = ConfigLoader.load(file, dir);
            for (ConfigProblem problem : Luagate.check(settings, dir).list()) {
                problems.add(problem.toString());
            }
        } catch (InvalidConfigException e) {
            e.problems().forEach(p -> problems.add(p.toString()));
        }
        return problems;
    }
}
