package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.DistributionProcess;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * bin/luagate's JVM options: the garbage collector it picks unless the user's options pick one
 * (the JVM refuses to start with two), and the README's small-footprint configuration, which must
 * still proxy.
 */
class JvmOptionsIT {

    private final Path dist = InProcessProxy.distribution();

    @Test
    void parallelGcUnlessTheOptionsChooseAnother() throws Exception {
        assertEquals("Using Parallel", gcOf(Map.of("JAVA_OPTS", "-Xlog:gc")));
        // A second collector would stop the JVM ("Multiple garbage collectors selected").
        assertEquals("Using Serial", gcOf(Map.of("JAVA_OPTS", "-Xlog:gc -XX:+UseSerialGC")));
        assertEquals("Using G1", gcOf(Map.of("JAVA_OPTS", "-Xmx64m -XX:+UseG1GC -Xlog:gc")));
        // The JDK's own variables are read by the java launcher: a GC named there wins too.
        assertEquals("Using Serial", gcOf(Map.of("JAVA_OPTS", "-Xlog:gc", "JDK_JAVA_OPTIONS", "-XX:+UseSerialGC")));
        assertEquals("Using Serial", gcOf(Map.of("JAVA_OPTS", "-Xlog:gc", "JAVA_TOOL_OPTIONS", "-XX:+UseSerialGC")));
    }

    @Test
    void nativeHeapTrimmedEvery5sUnlessTheOptionsSayOtherwise() throws Exception {
        assertTrue(flagsOf(Map.of()).matches("(?s).*\\bTrimNativeHeapInterval\\s+= 5000\\b.*"));
        assertTrue(flagsOf(Map.of("JAVA_OPTS", "-XX:TrimNativeHeapInterval=0")).matches("(?s).*\\bTrimNativeHeapInterval\\s+= 0\\b.*"));
    }

    private String flagsOf(Map<String, String> env) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.merge("JAVA_OPTS", "-XX:+PrintFlagsFinal", (mine, flags) -> mine + " " + flags);
        try (DistributionProcess version = DistributionProcess.start(dist, all, "version")) {
            assertTrue(version.process().waitFor(60, TimeUnit.SECONDS), version.output());
            assertEquals(0, version.exitValue(), version.output());
            return version.output();
        }
    }

    /** Runs {@code bin/luagate version} with env; returns the JVM's "Using ..." line of -Xlog:gc. */
    private String gcOf(Map<String, String> env) throws Exception {
        try (DistributionProcess version = DistributionProcess.start(dist, env, "version")) {
            assertTrue(version.process().waitFor(60, TimeUnit.SECONDS), version.output());
            String out = version.output();
            assertEquals(0, version.exitValue(), env + ":\n" + out);
            assertTrue(out.contains("luagate "), out);
            return out.lines().filter(l -> l.contains("[gc] Using ")).map(l -> l.substring(l.indexOf("Using ")))
                    .findFirst().orElseThrow(() -> new AssertionError("no GC line for " + env + ":\n" + out));
        }
    }

    @Test
    void smallFootprintConfigurationProxies() throws Exception {
        int port = DistributionProcess.freePort();
        // README, "Memory and the JVM": keep in step with it and with bench/footprint.sh.
        String small = "-XX:+UseSerialGC -Xms8m -Xmx16m -Xmn1m -XX:MaxDirectMemorySize=16m -Xss256k -XX:TieredStopAtLevel=1"
                + " -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=16m -XX:CompileThresholdScaling=50 -XX:StringTableSize=4096"
                + " -Dio.netty.jfr.enabled=false -Dio.netty.allocator.type=unpooled -Xshare:off -XX:TrimNativeHeapInterval=1000";
        try (TestUpstream upstream = TestUpstream.named("up")) {
            Path config = InProcessProxy.writeConfig("""
                    global { threads = 1, grace = 1s }
                    log.target = none
                    frontends.fe { bind = ["127.0.0.1:%d"], default-backend = be }
                    backends.be { http-reuse = always, servers { up = "%s" } }
                    """.formatted(port, upstream.address()));
            try (DistributionProcess luagate = DistributionProcess.start(dist,
                    Map.of("JAVA_OPTS", small + " -Xlog:gc", "MALLOC_ARENA_MAX", "1"), "run", "-c", config.toString())) {
                luagate.awaitListening(port, Duration.ofSeconds(30));
                // bin/luagate exec's the JVM (same pid) and keeps the caller's MALLOC_ARENA_MAX (its own default is 2).
                String environ = new String(Files.readAllBytes(Path.of("/proc/" + luagate.process().pid() + "/environ")), StandardCharsets.ISO_8859_1);
                assertTrue(("\0" + environ).contains("\0MALLOC_ARENA_MAX=1\0"), environ);
                // Enough requests for a few young collections of the 16 MB heap: the proxy keeps working through them.
                try (TestClient client = new TestClient(port)) {
                    for (int i = 0; i < 2_000; i++) {
                        assertEquals("up /r" + i, client.get("/r" + i).bodyText(), luagate.output());
                    }
                }
                assertEquals(0, luagate.terminate(Duration.ofSeconds(20)), luagate.output());
                assertTrue(luagate.output().contains("Using Serial"), luagate.output());
                assertTrue(luagate.output().contains("1 event loop(s)"), luagate.output());
            }
        }
    }
}
