package io.luagate.plugin.http;

import static io.luagate.plugin.http.H2Wire.DATA;
import static io.luagate.plugin.http.H2Wire.END_STREAM;
import static io.luagate.plugin.http.H2Wire.HEADERS;
import static io.luagate.plugin.http.H2Wire.PING;
import static io.luagate.plugin.http.H2Wire.RST_STREAM;
import static io.luagate.plugin.http.H2Wire.SETTINGS;
import static io.luagate.plugin.http.H2Wire.WINDOW_UPDATE;
import static io.luagate.plugin.http.H2Wire.concat;
import static io.luagate.plugin.http.H2Wire.frame;
import static io.luagate.plugin.http.H2Wire.getRequest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.plugin.http.H2Wire.Frame;
import io.luagate.spi.rule.ErrorPages;
import io.luagate.spi.rule.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Http2ResponseDataEncoder}: a response's DATA waiting in flow control leaves in the pieces
 * the client's window allows, in order, the last one ending the stream; a stream reset while its
 * DATA waits gets none of it, and the connection goes on. On a real connection to a real HTTP/2
 * frontend ({@link FakeKernel}, {@code proto = h2}) that answers every request with its 403 page.
 */
class Http2ResponseDataEncoderTest {

    private static final int INITIAL_WINDOW_SIZE = 0x4;
    private static final byte[] PING_FRAME = frame(PING, 0, 0, new byte[8]);

    private Origin origin;
    private FakeKernel kernel;

    @BeforeEach
    void start() throws Exception {
        origin = new Origin();
        kernel = new FakeKernel(origin.address());
        kernel.proto = "h2";
        kernel.frontend.requestRules.add(txn -> {
            txn.reply(ErrorPages.forStatus(403));
            return Verdict.STOP;
        });
    }

    @AfterEach
    void stop() throws Exception {
        kernel.close();
        origin.close();
    }

    /** A client connection that reads frames as they come. */
    private final class Client implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private int seen;

        /** Connects, sending the preface with a SETTINGS frame giving new streams {@code window} bytes. */
        Client(int window) throws IOException {
            socket = new Socket("127.0.0.1", kernel.port());
            socket.setSoTimeout(5_000);
            in = socket.getInputStream();
            send(concat("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), settings(window)));
        }

        void send(byte[] bytes) throws IOException {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        }

        /** Reads until the frames not yet given have one that {@code done} takes; gives them. */
        List<Frame> until(Predicate<Frame> done) throws IOException {
            byte[] buffer = new byte[8192];
            while (true) {
                List<Frame> all = H2Wire.frames(received.toByteArray());
                for (int i = seen; i < all.size(); i++) {
                    if (done.test(all.get(i))) {
                        List<Frame> fresh = new ArrayList<>(all.subList(seen, i + 1));
                        seen = i + 1;
                        return fresh;
                    }
                }
                int n = in.read(buffer);
                if (n < 0) {
                    throw new IOException("closed after " + all);
                }
                received.write(buffer, 0, n);
            }
        }

        /** Sends a PING; gives what came before its ACK: everything written before the PING was read. */
        List<Frame> settle() throws IOException {
            send(PING_FRAME);
            return until(f -> f.type() == PING && (f.flags() & H2Wire.ACK) != 0);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static byte[] settings(int initialWindow) {
        byte[] payload = {0, INITIAL_WINDOW_SIZE, (byte) (initialWindow >>> 24), (byte) (initialWindow >>> 16),
            (byte) (initialWindow >>> 8), (byte) initialWindow};
        return frame(SETTINGS, 0, 0, payload);
    }

    private static byte[] windowUpdate(int stream, int increment) {
        return frame(WINDOW_UPDATE, 0, stream, new byte[] {(byte) (increment >>> 24), (byte) (increment >>> 16),
            (byte) (increment >>> 8), (byte) increment});
    }

    private static List<Frame> data(List<Frame> frames, int stream) {
        return frames.stream().filter(f -> f.type() == DATA && f.stream() == stream).toList();
    }

    private static byte[] body(List<Frame> dataFrames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        dataFrames.forEach(f -> out.write(f.payload(), 0, f.payload().length));
        return out.toByteArray();
    }

    private static boolean ends(Frame frame, int stream) {
        return frame.stream() == stream && (frame.flags() & END_STREAM) != 0;
    }

    /** The 403 page as a client with the default windows gets it. */
    private byte[] wholeBody() throws IOException {
        try (Client client = new Client(65_535)) {
            client.send(getRequest(1));
            return body(data(client.until(f -> ends(f, 1)), 1));
        }
    }

    /** What came up to stream {@code stream}'s next DATA frame, then up to a PING's ACK (nothing more of the stream may come). */
    private static List<Frame> nextData(Client client, int stream) throws IOException {
        List<Frame> frames = new ArrayList<>(client.until(f -> f.type() == DATA && f.stream() == stream));
        List<Frame> after = client.settle();
        assertEquals(List.of(), after.stream().filter(f -> f.stream() == stream).toList(), after.toString());
        frames.addAll(after);
        return frames;
    }

    @Test
    void aBodyLargerThanTheWindowLeavesInPiecesAsTheWindowOpens() throws IOException {
        byte[] expected = wholeBody();
        assertTrue(expected.length > 32, "the page must be larger than two windows of 16: " + expected.length);
        try (Client client = new Client(16)) {
            client.send(getRequest(1));
            List<Frame> first = nextData(client, 1);
            assertEquals(List.of(16), data(first, 1).stream().map(f -> f.payload().length).toList(), first.toString());
            assertEquals(0, data(first, 1).get(0).flags() & END_STREAM);

            client.send(windowUpdate(1, 16));
            List<Frame> second = nextData(client, 1);
            assertEquals(List.of(16), data(second, 1).stream().map(f -> f.payload().length).toList(), second.toString());
            assertEquals(0, data(second, 1).get(0).flags() & END_STREAM);

            client.send(windowUpdate(1, 10_000));
            List<Frame> rest = client.until(f -> ends(f, 1));
            assertEquals(1, data(rest, 1).size(), rest.toString());

            List<Frame> all = new ArrayList<>(first);
            all.addAll(second);
            all.addAll(rest);
            assertArrayEquals(expected, body(data(all, 1)));

            // The stream is over on both ends: the connection serves the next one.
            client.send(getRequest(3));
            assertEquals(HEADERS, client.until(f -> f.stream() == 3).get(0).type());
        }
    }

    @Test
    void aStreamResetWhileItsDataWaitsGetsNoneOfIt() throws IOException {
        byte[] expected = wholeBody();
        try (Client client = new Client(0)) {
            client.send(getRequest(1));
            client.until(f -> f.type() == HEADERS && f.stream() == 1);
            assertEquals(List.of(), data(client.settle(), 1));

            client.send(frame(RST_STREAM, 0, 1, new byte[] {0, 0, 0, 8}));
            assertEquals(List.of(), client.settle().stream().filter(f -> f.stream() == 1).toList());

            // A window opened for new streams, and one for the reset stream too: nothing more comes for it.
            client.send(concat(windowUpdate(1, 1000), settings(65_535), getRequest(3)));
            List<Frame> after = new ArrayList<>(client.until(f -> ends(f, 3)));
            after.addAll(client.settle());
            assertEquals(List.of(), data(after, 1));
            assertArrayEquals(expected, body(data(after, 3)));
        }
    }
}
