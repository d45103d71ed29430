package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.luagate.e2e.support.DistributionProcess;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code global.cpu-map} on the distribution as a user starts it: each event loop's thread is
 * bound to the CPUs the line gives it, as the kernel reports them in /proc, and a bad line stops
 * the start with the key, the file and the line.
 */
class CpuMapIT {

    private final Path dist = InProcessProxy.distribution();

    @Test
    void everyLoopOnTheCpusOfItsLine() throws Exception {
        // The kernel's Java 22 class is built by a JDK 22 or newer (kernel/pom.xml's java22 profile).
        assumeTrue(Runtime.version().feature() >= 22, "cpu-map binds threads from Java 22 on");
        // CPUs this test may use (a container may allow only some).
        List<Integer> usable = cpus(allowed(Path.of("/proc/thread-self")));
        String c0 = usable.get(0).toString();
        assertEquals(List.of(c0, c0), loopCpus("\"1/all " + c0 + "\"", "event loop 2 bound to CPUs {" + c0 + "}"));
        if (usable.size() >= 2) {
            String c1 = usable.get(1).toString();
            assertEquals(List.of(c0, c1), loopCpus("\"auto:1/1-2 " + c0 + " " + c1 + "\"",
                    "event loop 2 bound to CPUs {" + c1 + "}"));
            // HAProxy 2.6.12: thread 2 alone; thread 1 stays where the system puts it (every CPU).
            List<String> second = loopCpus("\"1/2 " + c1 + "\"", "event loop 2 bound to CPUs {" + c1 + "}");
            assertEquals(1, Collections.frequency(second, c1), second.toString());
        }
        // A CPU this machine lacks: the loop stays where it was, and the warning gives the kernel's reason.
        List<String> lacking = loopCpus("\"1/2 1000\"",
                "event loop 2 left unbound: sched_setaffinity refused CPUs {1000} (EINVAL: none of them is online");
        assertTrue(lacking.stream().noneMatch("1000"::equals), lacking.toString());
    }

    /** A Cpus_allowed_list ("0-3,6") as CPU numbers. */
    private static List<Integer> cpus(String list) {
        List<Integer> cpus = new ArrayList<>();
        for (String part : list.split(",")) {
            int dash = part.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
            for (int cpu = from; cpu <= to; cpu++) {
                cpus.add(cpu);
            }
        }
        return cpus;
    }

    @Test
    void aBadLineIsRefusedWithItsKeyFileAndLine() throws Exception {
        Path config = InProcessProxy.writeConfig("""
                global {
                  threads = 2
                  cpu-map = [ "1/1 x" ]
                }
                frontends.fe { bind = ["127.0.0.1:1"], mode = http, http-request = [ "return status 200" ] }
                """);
        DistributionProcess check = DistributionProcess.run(dist, "check", "-c", config.toString());
        assertNotEquals(0, check.exitValue(), check.output());
        assertTrue(check.output().contains("global.cpu-map"), check.output());
        assertTrue(check.output().contains(config.getFileName() + ":3"), check.output());
        assertTrue(check.output().contains("'x' is not a CPU range"), check.output());
    }

    /**
     * Starts luagate with two loops and {@code lines}, proxies a request, and reads the loop threads'
     * Cpus_allowed_list, sorted (a thread's name in /proc is cut at 15 characters, so which loop is
     * which comes from luagate's log: {@code expectedLog}).
     */
    private List<String> loopCpus(String lines, String expectedLog) throws Exception {
        int port = DistributionProcess.freePort();
        try (TestUpstream upstream = TestUpstream.named("up")) {
            Path config = InProcessProxy.writeConfig("""
                    global { threads = 2, grace = 1s, cpu-map = [ %s ] }
                    log.target = none
                    frontends.fe { bind = ["127.0.0.1:%d"], default-backend = be }
                    backends.be { servers { up = "%s" } }
                    """.formatted(lines, port, upstream.address()));
            try (DistributionProcess luagate = DistributionProcess.start(dist, Map.of(), "run", "-c", config.toString())) {
                luagate.awaitListening(port, Duration.ofSeconds(30));
                try (TestClient client = new TestClient(port)) {
                    assertEquals("up /", client.get("/").bodyText(), luagate.output());
                }
                List<String> cpus = new ArrayList<>();
                try (Stream<Path> tasks = Files.list(Path.of("/proc/" + luagate.process().pid() + "/task"))) {
                    for (Path task : tasks.toList()) {
                        if (read(task.resolve("comm")).startsWith("luagate-loop-")) {
                            cpus.add(allowed(task));
                        }
                    }
                }
                assertTrue(luagate.output().contains(expectedLog), luagate.output());
                assertEquals(0, luagate.terminate(Duration.ofSeconds(20)), luagate.output());
                assertEquals(2, cpus.size(), luagate.output());
                cpus.sort(Comparator.comparing(String::length).thenComparing(Comparator.naturalOrder()));
                return cpus;
            }
        }
    }

    private static String allowed(Path task) throws IOException {
        for (String line : read(task.resolve("status")).split("\n")) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return line.substring("Cpus_allowed_list:".length()).strip();
            }
        }
        throw new AssertionError("no Cpus_allowed_list in " + task);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file);
    }
}
