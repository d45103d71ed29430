package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the HTTP/1 path end to end on real sockets: fuzzed bytes from a client (read by
 * luagate's {@link RequestDecoder}), or fuzzed bytes from the origin as the answer to a plain GET. Whatever the bytes, no exception escapes into a
 * handler's {@code exceptionCaught} or Netty's logs, no buffer leaks (leak detector at paranoid),
 * the proxy closes the connection within its timeouts, and every message it emits has exactly one
 * framing: each upstream connection carries at most one request and nothing after it, the origin
 * reads as many complete requests as the client gets origin answers, and the client gets one
 * response (after any interim ones) and nothing after it.
 *
 * <p>Under {@code ./mvnw verify} this replays the inputs in
 * {@code src/test/resources/io/luagate/plugin/http/Http1FuzzTestInputs/<method>/};
 * {@code bench/fuzz.sh} fuzzes it.
 */
class Http1FuzzTest {

    private static final boolean FUZZING = System.getenv("JAZZER_FUZZ") != null && !System.getenv("JAZZER_FUZZ").isEmpty();
    private static final byte[] GET = "GET /fuzz HTTP/1.1\r\nhost: origin\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private static RecordingOrigin origin;
    private static FakeKernel kernel;
    private static int runs;
    /**
     * The inputs since the last leak sweep: a leak is only seen when the collector finds the
     * buffer, up to a sweep later, so on a leak report all of them are written out as suspects.
     */
    private static final java.util.ArrayDeque<byte[]> sinceSweep = new java.util.ArrayDeque<>();

    private static synchronized void start() throws IOException {
        // Jazzer's SSRF detector: the client and the proxy's upstream connections stay on loopback.
        BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1") || host.equals("localhost"));
        if (kernel == null) {
            PipelineFaults.watchLogs();
            probeHooks();
            origin = new RecordingOrigin();
            kernel = new FakeKernel(origin.address());
            kernel.frontend.clientTimeout = 2_000;
        }
    }

    /** The hooks must be live, or the "no exception escapes" property would pass vacuously. */
    private static void probeHooks() {
        try {
            new UpstreamHandler().exceptionCaught(null, new IllegalStateException("hook probe"));
        } catch (NullPointerException expected) {
            // No context to close: the hook ran before.
        }
        List<String> faults = PipelineFaults.drain();
        assertTrue(faults.size() == 1 && faults.get(0).contains("hook probe"),
                "Jazzer's method hooks are not installed (junit-platform.properties): " + faults);
    }

    @AfterAll
    static void stop() throws IOException {
        if (kernel != null) {
            kernel.close();
            origin.close();
            kernel = null;
        }
    }

    @FuzzTest(maxDuration = "5m")
    void requests(byte[] input) throws Exception {
        start();
        sinceSweep.add(input);
        origin.reset(null);
        byte[] answers = exchange(input);
        List<RecordingOrigin.Connection> upstream = awaitUpstream();

        long forwarded = 0;
        // Requests are forwarded one at a time, each on a connection of its own: the origin's
        // answers reach the client in the order of these connections.
        java.util.Deque<Boolean> heads = new java.util.ArrayDeque<>();
        for (RecordingOrigin.Connection connection : upstream) {
            Http1Framing.Reading reading = Http1Framing.requests(connection.received(), true);
            assertNull(reading.violation(), () -> "the origin got a badly framed request: " + show(connection.received()));
            assertTrue(reading.messages().size() <= 1, () -> "one upstream connection carried "
                    + reading.messages().size() + " requests: " + show(connection.received()));
            forwarded += reading.completeCount();
            if (!reading.messages().isEmpty()) {
                heads.add(reading.messages().get(0).startLine().startsWith("HEAD "));
            }
        }
        Http1Framing.Reading responses = Http1Framing.responses(answers, true, heads);
        assertNull(responses.violation(), () -> "the client got a badly framed response: " + show(answers));
        long fromOrigin = responses.messages().stream()
                .filter(m -> m.complete() && "1".equals(m.header("x-origin"))).count();
        long expected = forwarded;
        assertEquals(expected, fromOrigin, () -> "requests the origin read vs. its answers the client got: "
                + show(answers));
        checkFaults();
    }

    @FuzzTest(maxDuration = "5m")
    void responses(byte[] input) throws Exception {
        start();
        sinceSweep.add(input);
        origin.reset(input);
        byte[] answers = exchange(GET);
        awaitUpstream();

        Http1Framing.Reading responses = Http1Framing.responses(answers, true);
        assertNull(responses.violation(), () -> "the client got a badly framed response: " + show(answers));
        List<Http1Framing.Message> messages = responses.messages();
        assertTrue(!messages.isEmpty(), "no response at all to a GET");
        for (int i = 0; i < messages.size() - 1; i++) {
            int status = messages.get(i).status();
            int index = i;
            assertTrue(status >= 100 && status < 200 && status != 101,
                    () -> "a final response (" + messages.get(index).startLine() + ") then more: " + show(answers));
        }
        checkFaults();
    }

    /** Sends {@code request} then a FIN; returns everything the proxy sent until it closed. */
    private static byte[] exchange(byte[] request) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (Socket socket = new Socket("127.0.0.1", kernel.port())) {
            socket.setSoTimeout(8_000);
            try {
                socket.getOutputStream().write(request);
                socket.shutdownOutput();
            } catch (IOException e) {
                // The proxy refused and closed before reading it all: read what it said.
            }
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                fail("the proxy neither answered nor closed within 8 s (timeouts are 2 s and 5 s): " + show(received.toByteArray()));
            } catch (IOException e) {
                // A reset after its answer: what it sent is kept.
            }
        }
        return received.toByteArray();
    }

    private static List<RecordingOrigin.Connection> awaitUpstream() throws InterruptedException {
        List<RecordingOrigin.Connection> connections = origin.connections();
        for (RecordingOrigin.Connection connection : connections) {
            assertTrue(connection.awaitClose(8_000), "an upstream connection stayed open after the client's ended");
        }
        return connections;
    }

    /** Exceptions and warnings from inside the pipelines; and, every so often, a leak sweep. */
    private static void checkFaults() throws InterruptedException {
        if (!FUZZING || ++runs % 64 == 0) {
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
        if (!FUZZING || runs % 64 == 0) {
            sinceSweep.clear();
        }
        assertTrue(faults.isEmpty(), () -> String.join("\n", faults));
    }

    /**
     * Writes the inputs run since the last sweep to {@code target/leak-suspects/}: replaying them
     * one by one ({@code -Djazzer.fuzz...} off, each as a regression input) finds the one that leaks.
     */
    private static void keepLeakSuspects() {
        try {
            java.nio.file.Path dir = java.nio.file.Path.of("target", "leak-suspects");
            java.nio.file.Files.createDirectories(dir);
            int i = 0;
            for (byte[] suspect : sinceSweep) {
                java.nio.file.Files.write(dir.resolve("suspect-" + (i++)), suspect);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String show(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        return "\n" + (text.length() > 2000 ? text.substring(0, 2000) + "..." : text)
                .replace("\r", "\\r").replace("\n", "\\n\n");
    }
}
