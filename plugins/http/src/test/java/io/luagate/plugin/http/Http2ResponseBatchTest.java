package io.luagate.plugin.http;

import static io.luagate.plugin.http.H2Wire.DATA;
import static io.luagate.plugin.http.H2Wire.END_STREAM;
import static io.luagate.plugin.http.H2Wire.HEADERS;
import static io.luagate.plugin.http.H2Wire.SETTINGS;
import static io.luagate.plugin.http.H2Wire.concat;
import static io.luagate.plugin.http.H2Wire.frame;
import static io.luagate.plugin.http.H2Wire.getRequest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.plugin.http.H2Wire.Frame;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The frames of a flush's responses written as one batch ({@link Http2ResponseFrameWriter},
 * {@link Http2BatchFlowController}) and a response head with no promise
 * ({@link Http2ResponseDataEncoder#writeHeaders}), on a real connection to a real HTTP/2 frontend
 * ({@link FakeKernel}, {@code proto = h2}) that answers every request with its 403 page: each
 * stream gets its head, then its body, the heads in the order HPACK encoded them (read with one
 * decoder, as a client does).
 */
class Http2ResponseBatchTest {

    private Origin origin;
    private FakeKernel kernel;
    private Socket socket;
    private InputStream in;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        origin = new Origin();
        kernel = FakeKernel.h2Forbidding(origin.address());
    }

    @AfterEach
    void stop() throws Exception {
        if (socket != null) {
            socket.close();
        }
        kernel.close();
        origin.close();
    }

    private void connect(byte[] settingsPayload) throws IOException {
        socket = new Socket("127.0.0.1", kernel.port());
        socket.setSoTimeout(5_000);
        in = socket.getInputStream();
        send(concat("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
                frame(SETTINGS, 0, 0, settingsPayload)));
    }

    private void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** Reads until the frames read so far hold one that {@code done} takes; gives them all. */
    private List<Frame> until(Predicate<List<Frame>> done) throws IOException {
        byte[] buffer = new byte[8192];
        while (true) {
            List<Frame> all = H2Wire.frames(received.toByteArray());
            if (done.test(all)) {
                return all;
            }
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("closed after " + all);
            }
            received.write(buffer, 0, n);
        }
    }

    private static boolean ended(List<Frame> frames, int stream) {
        return frames.stream().anyMatch(f -> f.stream() == stream && (f.flags() & END_STREAM) != 0);
    }

    private static byte[] body(List<Frame> frames, int stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.stream().filter(f -> f.type() == DATA && f.stream() == stream)
                .forEach(f -> out.write(f.payload(), 0, f.payload().length));
        return out.toByteArray();
    }

    @Test
    void theResponsesToOneReadEachHaveTheirHeadThenTheirBodyAndTheHeadsDecodeInOrder() throws Exception {
        connect(new byte[0]);
        send(concat(getRequest(1), getRequest(3), getRequest(5), getRequest(7)));
        List<Frame> frames = until(all -> ended(all, 1) && ended(all, 3) && ended(all, 5) && ended(all, 7));

        DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(true, Long.MAX_VALUE);
        byte[] firstBody = body(frames, 1);
        assertTrue(firstBody.length > 0, frames.toString());
        for (Frame f : frames) {
            if (f.type() == HEADERS) {
                // One decoder for all of them, in the order they came: a head out of its encoding order fails here.
                Http2Headers head = hpack.decodeHeaders(f.stream(), Unpooled.wrappedBuffer(f.payload()));
                assertEquals("403", head.status().toString(), head.toString());
            }
        }
        for (int stream : new int[] {1, 3, 5, 7}) {
            List<Integer> types = frames.stream().filter(f -> f.stream() == stream).map(Frame::type).toList();
            assertEquals(HEADERS, types.get(0), "the head first on stream " + stream + ": " + frames);
            assertEquals(DATA, types.get(types.size() - 1));
            assertTrue(types.subList(1, types.size()).stream().allMatch(t -> t == DATA), types.toString());
            assertArrayEquals(firstBody, body(frames, stream));
        }
    }
}
