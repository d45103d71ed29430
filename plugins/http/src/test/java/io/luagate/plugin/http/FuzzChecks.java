package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;

/**
 * What every fuzz target of the codec checks after each input: no exception or warning from inside
 * a pipeline ({@link PipelineFaults}), and no leaked buffer. A leak is only seen when the collector
 * finds the buffer, up to a sweep later, so the inputs since the last sweep are kept and, on a leak
 * report, written to {@code target/leak-suspects/} (replaying them one by one finds the one).
 */
final class FuzzChecks {

    /** Whether Jazzer fuzzes ({@code bench/fuzz.sh}) rather than replays the committed inputs. */
    static final boolean FUZZING = System.getenv("JAZZER_FUZZ") != null && !System.getenv("JAZZER_FUZZ").isEmpty();
    private static final int SWEEP_EVERY = 64;

    private final ArrayDeque<byte[]> sinceSweep = new ArrayDeque<>();
    private int runs;

    /** The hooks must be live, or the "no exception escapes" property would pass vacuously. */
    static void probeHooks() {
        // What other test classes of this JVM logged since the watch began is theirs, not this target's.
        PipelineFaults.drain();
        try {
            new UpstreamHandler().exceptionCaught(null, new IllegalStateException("hook probe"));
        } catch (NullPointerException expected) {
            // No context to close: the hook ran before.
        }
        List<String> faults = PipelineFaults.drain();
        assertTrue(faults.size() == 1 && faults.get(0).contains("hook probe"),
                "Jazzer's method hooks are not installed (junit-platform.properties): " + faults);
    }

    /** Notes the input about to run. */
    void running(byte[] input) {
        sinceSweep.add(input);
    }

    /** Exceptions and warnings from inside the pipelines; and, every so often, a leak sweep. */
    void check() throws InterruptedException {
        boolean sweep = !FUZZING || ++runs % SWEEP_EVERY == 0;
        if (sweep) {
            // Netty reports a leak when a later allocation finds a collected, unreleased buffer.
            System.gc();
            Thread.sleep(20);
            for (ByteBufAllocator allocator : new ByteBufAllocator[] {
                    PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT, ByteBufAllocator.DEFAULT}) {
                for (int j = 0; j < 16; j++) {
                    ByteBuf probe = allocator.buffer(16);
                    probe.release();
                }
            }
        }
        List<String> faults = PipelineFaults.drain();
        if (faults.stream().anyMatch(f -> f.contains("LEAK"))) {
            keepLeakSuspects();
        }
        if (sweep) {
            sinceSweep.clear();
        }
        assertTrue(faults.isEmpty(), () -> String.join("\n", faults));
    }

    private void keepLeakSuspects() {
        try {
            Path dir = Path.of("target", "leak-suspects");
            Files.createDirectories(dir);
            int i = 0;
            for (byte[] suspect : sinceSweep) {
                Files.write(dir.resolve("suspect-" + (i++)), suspect);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes for a failure message: as text, CR and LF shown, cut at 2,000 characters. */
    static String show(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        return "\n" + (text.length() > 2000 ? text.substring(0, 2000) + "..." : text)
                .replace("\r", "\\r").replace("\n", "\\n\n");
    }
}
