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
 * {@code ./mvnw package -pl distribution -am -Dluagate.plugins=http,balancer-roundrobin,pool}.
 */
class CustomDistributionIT {

    @Test
    void buildsADistributionWithOnlyTheChosenPlugins(@TempDir Path work) throws Exception {
        Path source = InProcessProxy.distribution().getParent().getParent().getParent();
        Path copy = work.resolve("src");
        copyTree(source, copy);
        ProcessBuilder build = new ProcessBuilder("./mvnw", "-o", "-q", "-B", "package", "-pl", "distribution", "-am",
                "-DskipTests", "-Dluagate.plugins=http,balancer-roundrobin,pool")
                .directory(copy.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("build.log").toFile());
        build.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = build.start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the build did not finish");
        assertEquals(0, process.exitValue(), Files.readString(work.resolve("build.log")));

        Path custom = copy.resolve("distribution/target/luagate");
        try (Stream<Path> plugins = Files.list(custom.resolve("plugins"))) {
            List<String> names = plugins.map(p -> p.getFileName().toString().replaceAll("-\\d.*", "")).sorted().toList();
            assertEquals(List.of("luagate-plugin-balancer-roundrobin", "luagate-plugin-http", "luagate-plugin-pool"), names);
        }
        try (Stream<Path> files = Files.list(copy.resolve("distribution/target"))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().matches("luagate-.*\\.tar\\.gz")));
        }
        DistributionProcess listing = DistributionProcess.run(custom, "plugins");
        assertEquals(0, listing.exitValue(), listing.output());
        assertTrue(!listing.output().contains("mode tcp"), listing.output());
        assertTrue(listing.output().contains("mode http"), listing.output());
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
