package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.DistributionProcess;
import io.luagate.e2e.support.InProcessProxy;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented way to build a distribution with a chosen set of plugins, run for real on a copy
 * of the source tree (so this build's own outputs are left alone):
 * {@code ./mvnw package -pl distribution -am -Dluagate.plugins=http,balancer-roundrobin,pool},
 * with a plugin jar from elsewhere ({@code -Dluagate.extra-plugins=path}), and with a typo.
 */
class CustomDistributionIT {

    @Test
    void buildsADistributionWithOnlyTheChosenPlugins(@TempDir Path work) throws Exception {
        Path source = InProcessProxy.distribution().getParent().getParent().getParent();
        Path copy = work.resolve("src");
        copyTree(source, copy);
        // A plugin built elsewhere, known only by the path of its jar (xcaddy's --with).
        Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("luagate.allPlugins")))) {
            Path tcp = jars.filter(p -> p.getFileName().toString().startsWith("luagate-plugin-tcp-")).findFirst().orElseThrow();
            Files.copy(tcp, elsewhere.resolve("my-tcp-plugin.jar"));
        }
        Process process = build(copy, work.resolve("build.log"), "-Dluagate.plugins=http,balancer-roundrobin,pool",
                "-Dluagate.extra-plugins=" + elsewhere.resolve("my-tcp-plugin.jar"));
        assertEquals(0, process.exitValue(), Files.readString(work.resolve("build.log")));

        Path custom = copy.resolve("distribution/target/luagate");
        try (Stream<Path> plugins = Files.list(custom.resolve("plugins"))) {
            List<String> names = plugins.map(p -> p.getFileName().toString().replaceAll("-\\d.*", "")).sorted().toList();
            assertEquals(List.of("luagate-plugin-balancer-roundrobin", "luagate-plugin-http", "luagate-plugin-pool", "my-tcp-plugin.jar"),
                    names);
        }
        try (Stream<Path> files = Files.list(copy.resolve("distribution/target"))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().matches("luagate-.*\\.tar\\.gz")));
        }
        DistributionProcess listing = DistributionProcess.run(custom, "plugins");
        assertEquals(0, listing.exitValue(), listing.output());
        assertTrue(listing.output().contains("mode tcp"), listing.output());
        assertTrue(listing.output().contains("my-tcp-plugin.jar"), listing.output());
        assertTrue(listing.output().contains("mode http"), listing.output());

        // A misspelt plugin id stops the build and lists the ids there are.
        Process typo = build(copy, work.resolve("typo.log"), "-Dluagate.plugins=http,htttp,pool");
        String log = Files.readString(work.resolve("typo.log"));
        assertTrue(typo.exitValue() != 0, log);
        assertTrue(log.contains("-Dluagate.plugins names no plugin of this build: htttp."), log);
        assertTrue(log.contains("Known plugin ids: admin, balancer-hash, balancer-leastconn, balancer-random, balancer-roundrobin, health-check, http, lua, pool, runtime-api, stats-page, tcp, tls"), log);
    }

    private static Process build(Path source, Path log, String... properties) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("./mvnw", "-o", "-q", "-B", "package", "-pl", "distribution", "-am",
                "-DskipTests"));
        command.addAll(List.of(properties));
        ProcessBuilder build = new ProcessBuilder(command)
                .directory(source.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        build.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = build.start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the build did not finish");
        return process;
    }

    /** Copies the source tree, leaving out build outputs and git's metadata. */
    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                if (!dir.equals(from) && (name.equals("target") || name.equals(".git"))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
