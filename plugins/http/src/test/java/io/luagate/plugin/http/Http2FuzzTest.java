package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the HTTP/2 client side end to end on real sockets: after the connection preface, the
 * fuzzed bytes go to a {@code proto = h2} bind as frames (followed by a GOAWAY of the client's, so
 * that most inputs end quickly). Whatever the bytes, no exception escapes into a handler's
 * {@code exceptionCaught} (a client's protocol error aside) or Netty's logs, no buffer leaks, the
 * proxy closes the connection within its timeouts, and what it sends is sound: whole frames, HPACK
 * blocks that decode, one final response per stream and nothing on a stream after its end, no
 * more answers from the origin than requests it read, and each request to the origin well framed
 * HTTP/1.1, one per connection.
 *
 * <p>Under {@code ./mvnw verify} this replays the inputs in
 * {@code src/test/resources/io/luagate/plugin/http/Http2FuzzTestInputs/frames/};
 * {@code bench/fuzz.sh 20m http2-frames} fuzzes it.
 */
class Http2FuzzTest {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    /** GOAWAY, last stream 0, NO_ERROR. */
    private static final byte[] GOAWAY = {0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final int DATA = 0;
    private static final int HEADERS = 1;
    private static final int CONTINUATION = 9;
    private static final int END_STREAM = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIORITY = 0x20;

    private static final FuzzChecks checks = new FuzzChecks();
    private static RecordingOrigin origin;
    private static FakeKernel kernel;

    private static synchronized void start() throws IOException {
        BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1") || host.equals("localhost"));
        if (kernel == null) {
            PipelineFaults.watchLogs();
            FuzzChecks.probeHooks();
            origin = new RecordingOrigin();
            kernel = new FakeKernel(origin.address());
            kernel.proto = "h2";
            // timeout.client bounds the graceful end the client's GOAWAY starts: short, for speed.
            kernel.frontend.clientTimeout = 500;
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
    void frames(byte[] input) throws Exception {
        start();
        checks.running(input);
        origin.reset(null);
        byte[] answers = exchange(input);

        long forwarded = 0;
        for (RecordingOrigin.Connection connection : origin.connections()) {
            assertTrue(connection.awaitClose(8_000), "an upstream connection stayed open after the client's ended");
            Http1Framing.Reading reading = Http1Framing.requests(connection.received(), true);
            assertNull(reading.violation(), () -> "the origin got a badly framed request: " + FuzzChecks.show(connection.received()));
            assertTrue(reading.messages().size() <= 1, () -> "one upstream connection carried "
                    + reading.messages().size() + " requests: " + FuzzChecks.show(connection.received()));
            forwarded += reading.completeCount();
        }
        long answered = answersFromOrigin(answers);
        long read = forwarded;
        // A stream the client reset, or a connection it broke, may lose an answer; none is invented.
        assertTrue(answered <= read, () -> answered + " answers from the origin reached the client, which sent " + read);
        checks.check();
    }

    /** Sends the preface, {@code frames} and a GOAWAY; returns everything the proxy sent until it closed. */
    private static byte[] exchange(byte[] frames) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (Socket socket = new Socket("127.0.0.1", kernel.port())) {
            socket.setSoTimeout(15_000);
            try {
                socket.getOutputStream().write(PREFACE);
                socket.getOutputStream().write(frames);
                socket.getOutputStream().write(GOAWAY);
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
                fail("the proxy neither ended nor closed the connection within 15 s (timeouts are 0.5 s and 5 s): "
                        + received.size() + " bytes");
            } catch (IOException e) {
                // A reset after its last frame: what it sent is kept.
            }
        }
        return received.toByteArray();
    }

    /**
     * Reads the proxy's frames and checks them; returns how many final responses carried the
     * origin's mark.
     */
    private static long answersFromOrigin(byte[] bytes) throws Http2Exception {
        DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(false, false, Integer.MAX_VALUE);
        // The client may have raised SETTINGS_HEADER_TABLE_SIZE: the proxy's encoder then says so in its blocks.
        hpack.maxHeaderTableSize(Integer.MAX_VALUE);
        Map<Integer, StreamState> streams = new HashMap<>();
        ByteBuf block = null;
        int blockStream = 0;
        int blockFlags = 0;
        long marked = 0;
        int at = 0;
        try {
            while (bytes.length - at >= 9) {
                int length = (bytes[at] & 0xff) << 16 | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff);
                int type = bytes[at + 3] & 0xff;
                int flags = bytes[at + 4] & 0xff;
                int stream = ((bytes[at + 5] & 0x7f) << 24) | (bytes[at + 6] & 0xff) << 16 | (bytes[at + 7] & 0xff) << 8 | (bytes[at + 8] & 0xff);
                if (bytes.length - at - 9 < length) {
                    break;
                }
                int payload = at + 9;
                at = payload + length;
                if (block != null && type != CONTINUATION) {
                    fail("a header block of stream " + blockStream + " interrupted by a frame of type " + type);
                }
                if (type == HEADERS || type == CONTINUATION) {
                    if (type == HEADERS) {
                        assertNull(block, "HEADERS inside another header block");
                        int start = payload;
                        int end = payload + length;
                        if ((flags & PADDED) != 0) {
                            end -= bytes[start] & 0xff;
                            start++;
                        }
                        if ((flags & PRIORITY) != 0) {
                            start += 5;
                        }
                        block = Unpooled.buffer();
                        block.writeBytes(bytes, start, end - start);
                        blockStream = stream;
                        blockFlags = flags;
                    } else {
                        assertTrue(block != null && stream == blockStream, "CONTINUATION out of a header block");
                        block.writeBytes(bytes, payload, length);
                    }
                    if ((flags & END_HEADERS) != 0) {
                        Http2Headers headers = hpack.decodeHeaders(blockStream, block);
                        block.release();
                        block = null;
                        StreamState state = streams.computeIfAbsent(blockStream, id -> new StreamState());
                        int id = blockStream;
                        assertTrue(!state.ended, () -> "HEADERS on stream " + id + " after its end");
                        CharSequence status = headers.status();
                        if (!state.finalSent) {
                            assertTrue(status != null, () -> "a response of stream " + id + " without :status");
                            int code = Integer.parseInt(status.toString());
                            if (code >= 200) {
                                state.finalSent = true;
                                if ("1".contentEquals(headers.get("x-origin", ""))) {
                                    marked++;
                                }
                            }
                        }
                        state.ended = (blockFlags & END_STREAM) != 0;
                    }
                } else if (type == DATA) {
                    StreamState state = streams.get(stream);
                    assertTrue(state != null && state.finalSent && !state.ended, () -> "DATA on stream " + stream + " out of a response");
                    state.ended = (flags & END_STREAM) != 0;
                }
            }
        } finally {
            if (block != null) {
                block.release();
            }
        }
        int left = bytes.length - at;
        assertEquals(0, left, () -> "the proxy's last frame was cut: " + left + " bytes left");
        return marked;
    }

    private static final class StreamState {
        boolean finalSent;
        boolean ended;
    }
}
