package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
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

    private static final byte[] GET = "GET /fuzz HTTP/1.1\r\nhost: origin\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private static RecordingOrigin origin;
    private static FakeKernel kernel;
    private static final FuzzChecks checks = new FuzzChecks();

    private static synchronized void start() throws IOException {
        // Jazzer's SSRF detector: the client and the proxy's upstream connections stay on loopback.
        BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1") || host.equals("localhost"));
        if (kernel == null) {
            PipelineFaults.watchLogs();
            FuzzChecks.probeHooks();
            origin = new RecordingOrigin();
            kernel = new FakeKernel(origin.address());
            kernel.frontend.clientTimeout = 2_000;
        }
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
        checks.running(input);
        origin.reset(null);
        byte[] answers = exchange(input);
        List<RecordingOrigin.Connection> upstream = awaitUpstream();

        long forwarded = 0;
        // Requests are forwarded one at a time, each on a connection of its own: the origin's
        // answers reach the client in the order of these connections.
        java.util.Deque<Boolean> heads = new java.util.ArrayDeque<>();
        for (RecordingOrigin.Connection connection : upstream) {
            Http1Framing.Reading reading = Http1Framing.requests(connection.received(), true);
            assertNull(reading.violation(), () -> "the origin got a badly framed request: " + FuzzChecks.show(connection.received()));
            assertTrue(reading.messages().size() <= 1, () -> "one upstream connection carried "
                    + reading.messages().size() + " requests: " + FuzzChecks.show(connection.received()));
            forwarded += reading.completeCount();
            if (!reading.messages().isEmpty()) {
                heads.add(reading.messages().get(0).startLine().startsWith("HEAD "));
            }
        }
        Http1Framing.Reading responses = Http1Framing.responses(answers, true, heads);
        assertNull(responses.violation(), () -> "the client got a badly framed response: " + FuzzChecks.show(answers));
        long fromOrigin = responses.messages().stream()
                .filter(m -> m.complete() && "1".equals(m.header("x-origin"))).count();
        long expected = forwarded;
        assertEquals(expected, fromOrigin, () -> "requests the origin read vs. its answers the client got: "
                + FuzzChecks.show(answers));
        checks.check();
    }

    @FuzzTest(maxDuration = "5m")
    void responses(byte[] input) throws Exception {
        start();
        checks.running(input);
        origin.reset(input);
        byte[] answers = exchange(GET);
        awaitUpstream();

        Http1Framing.Reading responses = Http1Framing.responses(answers, true);
        assertNull(responses.violation(), () -> "the client got a badly framed response: " + FuzzChecks.show(answers));
        List<Http1Framing.Message> messages = responses.messages();
        assertTrue(!messages.isEmpty(), "no response at all to a GET");
        for (int i = 0; i < messages.size() - 1; i++) {
            int status = messages.get(i).status();
            int index = i;
            assertTrue(status >= 100 && status < 200 && status != 101,
                    () -> "a final response (" + messages.get(index).startLine() + ") then more: " + FuzzChecks.show(answers));
        }
        checks.check();
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
                fail("the proxy neither answered nor closed within 8 s (timeouts are 2 s and 5 s): " + FuzzChecks.show(received.toByteArray()));
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
}
