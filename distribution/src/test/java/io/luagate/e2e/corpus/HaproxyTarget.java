package io.luagate.e2e.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The real HAProxy: {@code /usr/sbin/haproxy -f haproxy.cfg -db} in the case directory. Readiness
 * is read from /proc/net/tcp rather than by connecting, so that no probe connection shows in the
 * case's counters.
 */
final class HaproxyTarget implements CorpusTarget {

    static final String BINARY = "/usr/sbin/haproxy";

    @Override
    public AutoCloseable start(Path caseDir, Path config, int port) throws Exception {
        Path log = caseDir.resolve("haproxy.log");
        Process process = new ProcessBuilder(BINARY, "-f", config.toString(), "-db")
                .directory(caseDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AutoCloseable stop = () -> {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        };
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (port != 0 && !listening(port)) {
            if (!process.isAlive()) {
                throw new StartFailed("haproxy exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                stop.close();
                throw new IllegalStateException("haproxy did not listen on " + port + ":\n" + Files.readString(log));
            }
            Thread.sleep(10);
        }
        if (port == 0) {
            Thread.sleep(300);
            if (!process.isAlive()) {
                throw new StartFailed("haproxy exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
        }
        return stop;
    }

    private static boolean listening(int port) throws IOException {
        String local = String.format(Locale.ROOT, ":%04X ", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path)) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 3 && (fields[1] + " ").endsWith(local) && fields[3].equals("0A")) {
                    return true;
                }
            }
        }
        return false;
    }
}
