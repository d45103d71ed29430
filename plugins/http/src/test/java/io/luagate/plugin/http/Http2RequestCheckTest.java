package io.luagate.plugin.http;

import static io.luagate.plugin.http.H2Wire.DATA;
import static io.luagate.plugin.http.H2Wire.END_HEADERS;
import static io.luagate.plugin.http.H2Wire.GOAWAY;
import static io.luagate.plugin.http.H2Wire.HEADERS;
import static io.luagate.plugin.http.H2Wire.PING;
import static io.luagate.plugin.http.H2Wire.RST_STREAM;
import static io.luagate.plugin.http.H2Wire.WINDOW_UPDATE;
import static io.luagate.plugin.http.H2Wire.block;
import static io.luagate.plugin.http.H2Wire.concat;
import static io.luagate.plugin.http.H2Wire.frame;
import static io.luagate.plugin.http.H2Wire.getRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.luagate.plugin.http.H2Wire.Frame;
import io.luagate.spi.rule.ErrorPages;
import io.luagate.spi.rule.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The resets an HTTP/2 client connection sends for what a client sent wrong on a stream
 * ({@link Http2RequestCheck}'s findings and Netty's stream errors), as bytes on a real connection
 * to a real HTTP/2 frontend ({@link FakeKernel}, {@code proto = h2}).
 */
class Http2RequestCheckTest {

    /** A PING whose ACK tells that everything the server wrote before it has been read. */
    private static final byte[] PING_FRAME = frame(PING, 0, 0, new byte[8]);

    private Origin origin;
    private FakeKernel kernel;

    @BeforeEach
    void start() throws Exception {
        origin = new Origin();
        kernel = new FakeKernel(origin.address());
        kernel.proto = "h2";
    }

    @AfterEach
    void stop() throws Exception {
        kernel.close();
        origin.close();
    }

    /** Sends the preface and {@code bytes} in one write, then a PING; gives what came back up to its ACK. */
    private List<Frame> exchange(byte[] bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", kernel.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(concat(H2Wire.preface(), bytes));
            socket.getOutputStream().flush();
            // After the first packet was read (and answered), the PING in a packet of its own.
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            boolean pinged = false;
            while (true) {
                List<Frame> frames = H2Wire.frames(received.toByteArray());
                if (!pinged && frames.stream().anyMatch(f -> f.type() == RST_STREAM || f.type() == GOAWAY)) {
                    socket.getOutputStream().write(PING_FRAME);
                    pinged = true;
                }
                if (frames.stream().anyMatch(f -> f.type() == PING && (f.flags() & H2Wire.ACK) != 0 || f.type() == GOAWAY)) {
                    return frames;
                }
                int n = in.read(buffer);
                if (n < 0) {
                    return H2Wire.frames(received.toByteArray());
                }
                received.write(buffer, 0, n);
            }
        }
    }

    /** The frontend answers every request itself, during the read that brought it. */
    private void answerAtOnce() {
        kernel.frontend.requestRules.add(txn -> {
            txn.reply(ErrorPages.forStatus(403));
            return Verdict.STOP;
        });
    }

    /** A request answered during the read, then a WINDOW_UPDATE of 0 on its stream in the same packet: what stream 1 gets. */
    private List<Frame> answeredThenReset() throws IOException {
        answerAtOnce();
        List<Frame> frames = exchange(concat(getRequest(1), frame(WINDOW_UPDATE, 0, 1, new byte[4])));
        return frames.stream().filter(f -> f.stream() == 1).toList();
    }

    /** The response's DATA, held by flow control until the read ends, goes before the reset, never after it. */
    @Test
    void nothingOfAStreamFollowsItsReset() throws IOException {
        assertEquals(List.of(HEADERS, DATA, RST_STREAM), answeredThenReset().stream().map(Frame::type).toList());
    }

    @Test
    void theResetCarriesTheErrorsOwnCode() throws IOException {
        Frame reset = H2Wire.first(answeredThenReset(), RST_STREAM);
        assertEquals(io.netty.handler.codec.http2.Http2Error.PROTOCOL_ERROR.code(), reset.errorCode());
    }

    /** A request without :path is malformed (RFC 9113 8.1.2.3): its stream is reset, the connection goes on. */
    @Test
    void aMalformedRequestIsResetWithProtocolError() throws IOException {
        answerAtOnce();
        byte[] noPath = frame(HEADERS, END_HEADERS | H2Wire.END_STREAM, 1,
                block(":method", "GET", ":scheme", "http", ":authority", "example.com"));
        List<Frame> frames = exchange(concat(noPath, getRequest(3)));
        Frame reset = H2Wire.first(frames, RST_STREAM);
        assertNotNull(reset, frames.toString());
        assertEquals(1, reset.stream());
        assertEquals(io.netty.handler.codec.http2.Http2Error.PROTOCOL_ERROR.code(), reset.errorCode());
        assertNull(H2Wire.first(frames, GOAWAY), frames.toString());
        assertEquals(List.of(3), frames.stream().filter(f -> f.type() == HEADERS).map(Frame::stream).toList());
    }

    /** DATA beyond content-length is malformed (RFC 9113 8.1.1): reset, and the request never reaches the rules. */
    @Test
    void moreDataThanContentLengthIsResetWithProtocolError() throws IOException {
        byte[] head = frame(HEADERS, END_HEADERS, 1, block(":method", "POST", ":scheme", "http", ":path", "/",
                ":authority", "example.com", "content-length", "1"));
        List<Frame> frames = exchange(concat(head, frame(DATA, H2Wire.END_STREAM, 1, new byte[] {'a', 'b'})));
        Frame reset = H2Wire.first(frames, RST_STREAM);
        assertNotNull(reset, frames.toString());
        assertEquals(1, reset.stream());
        assertEquals(io.netty.handler.codec.http2.Http2Error.PROTOCOL_ERROR.code(), reset.errorCode());
        assertNull(H2Wire.first(frames, GOAWAY), frames.toString());
    }
}
