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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

    /**
     * Field sections RFC 9113 section 8.2 and 8.3 call malformed, which Netty's field validation
     * (now off) refused and {@link Http2RequestFields} now does, each with the fields around it
     * sound: {@code :method GET, :scheme http, :authority example.com, :path /}, unless named.
     */
    static Stream<Arguments> malformedFields() {
        return Stream.of(
                Arguments.of("an upper-case name", fields("X-Foo", "1")),
                Arguments.of("a name that is not a token", fields("x(foo)", "1")),
                Arguments.of("a name with a space", fields("x foo", "1")),
                Arguments.of("a name with a byte above 0x7f", fields("x-\u00e9", "1")),
                Arguments.of("connection", fields("connection", "close")),
                Arguments.of("keep-alive", fields("keep-alive", "timeout=5")),
                Arguments.of("proxy-connection", fields("proxy-connection", "keep-alive")),
                Arguments.of("transfer-encoding", fields("transfer-encoding", "chunked")),
                Arguments.of("upgrade", fields("upgrade", "h2c")),
                Arguments.of("te other than trailers", fields("te", "gzip")),
                Arguments.of("te listing trailers and more", fields("te", "trailers, gzip")),
                Arguments.of("te as Trailers (HAProxy wants it exact)", fields("te", "Trailers")),
                Arguments.of("a value starting with a space", fields("x-a", " 1")),
                Arguments.of("a value starting with a tab", fields("x-a", "\t1")),
                Arguments.of("a value with CR", fields("x-a", "1\r2")),
                Arguments.of("a value with LF", fields("x-a", "1\n2")),
                Arguments.of("a value with NUL", fields("x-a", "1\u00002")),
                Arguments.of("a value with DEL", fields("x-a", "1\u007f2")),
                Arguments.of("a value with another control character", fields("x-a", "1\u00012")),
                Arguments.of("a pseudo-header after a regular field", block(":method", "GET", ":scheme", "http",
                        ":authority", "example.com", "x-a", "1", ":path", "/")),
                Arguments.of("a pseudo-header twice", block(":method", "GET", ":scheme", "http", ":path", "/",
                        ":path", "/b", ":authority", "example.com")),
                Arguments.of("an unknown pseudo-header", fields(":foo", "1")),
                Arguments.of("a response's pseudo-header", block(":status", "200", ":method", "GET", ":scheme", "http",
                        ":path", "/", ":authority", "example.com")),
                Arguments.of("an empty :method", block(":method", "", ":scheme", "http", ":path", "/",
                        ":authority", "example.com")),
                Arguments.of("an empty :path", block(":method", "GET", ":scheme", "http", ":path", "",
                        ":authority", "example.com")),
                Arguments.of("a relative :path", block(":method", "GET", ":scheme", "http", ":path", "a",
                        ":authority", "example.com")),
                Arguments.of("a space in :path", block(":method", "GET", ":scheme", "http", ":path", "/a b",
                        ":authority", "example.com")),
                Arguments.of("a tab in :path", block(":method", "GET", ":scheme", "http", ":path", "/a\tb",
                        ":authority", "example.com")),
                Arguments.of("# in :path", block(":method", "GET", ":scheme", "http", ":path", "/a#b",
                        ":authority", "example.com")),
                Arguments.of("a :method that is not a token", block(":method", "G(T", ":scheme", "http", ":path", "/",
                        ":authority", "example.com")),
                Arguments.of("a space in :method", block(":method", "GE T", ":scheme", "http", ":path", "/",
                        ":authority", "example.com")),
                Arguments.of("CR LF in :path", block(":method", "GET", ":scheme", "http", ":path", "/a\r\nx-b: 1",
                        ":authority", "example.com")),
                Arguments.of("NUL in :authority", block(":method", "GET", ":scheme", "http", ":path", "/",
                        ":authority", "example.com\u0000")),
                Arguments.of("a control character in :authority (Netty's rule)", block(":method", "GET", ":scheme", "http",
                        ":path", "/", ":authority", "example.com\u0001")),
                Arguments.of("no :scheme", block(":method", "GET", ":path", "/", ":authority", "example.com")));
    }

    /** A GET's header block with one more field after the pseudo-headers. */
    private static byte[] fields(String name, String value) {
        return block(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "example.com", name, value);
    }

    /** Each is a stream error: its stream is reset with PROTOCOL_ERROR, the connection serves the next one. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFields")
    void malformedFieldsResetTheStreamOnly(String what, byte[] block) throws IOException {
        answerAtOnce();
        List<Frame> frames = exchange(concat(frame(HEADERS, END_HEADERS | H2Wire.END_STREAM, 1, block), getRequest(3)));
        Frame reset = H2Wire.first(frames, RST_STREAM);
        assertNotNull(reset, what + ": " + frames);
        assertEquals(1, reset.stream(), what);
        assertEquals(io.netty.handler.codec.http2.Http2Error.PROTOCOL_ERROR.code(), reset.errorCode(), what);
        assertNull(H2Wire.first(frames, GOAWAY), what + ": " + frames);
        assertEquals(List.of(3), frames.stream().filter(f -> f.type() == HEADERS).map(Frame::stream).toList(), what);
    }

    /** A trailer section is checked as a head is: an upper-case name in it resets the stream. */
    @Test
    void malformedTrailersResetTheStream() throws IOException {
        byte[] head = frame(HEADERS, END_HEADERS, 1, block(":method", "POST", ":scheme", "http", ":path", "/",
                ":authority", "example.com"));
        byte[] body = frame(DATA, 0, 1, new byte[] {'a'});
        byte[] trailers = frame(HEADERS, END_HEADERS | H2Wire.END_STREAM, 1, block("X-Checksum", "1"));
        List<Frame> frames = exchange(concat(head, body, trailers));
        Frame reset = H2Wire.first(frames, RST_STREAM);
        assertNotNull(reset, frames.toString());
        assertEquals(1, reset.stream());
        assertEquals(io.netty.handler.codec.http2.Http2Error.PROTOCOL_ERROR.code(), reset.errorCode());
        assertNull(H2Wire.first(frames, GOAWAY), frames.toString());
    }

    /**
     * What the rules allow passes: te as trailers, an empty value, blanks inside and at the end of a
     * value, obs-text, every token character in a name, :path as *, an empty :authority (as HAProxy).
     */
    @Test
    void soundFieldsAreServed() throws IOException {
        answerAtOnce();
        byte[] sound = frame(HEADERS, END_HEADERS | H2Wire.END_STREAM, 1, fields("te", "trailers"));
        byte[] more = frame(HEADERS, END_HEADERS | H2Wire.END_STREAM, 3, block(":method", "GET", ":scheme", "http",
                ":path", "/", ":authority", "example.com", "x-empty", "", "x-blanks", "a \tb ", "x-obs", "caf\u00e9",
                "!#$%&'*+-.^_`|~09az", "1"));
        byte[] asterisk = frame(HEADERS, END_HEADERS | H2Wire.END_STREAM, 5, block(":method", "OPTIONS", ":scheme", "http",
                ":path", "*", ":authority", ""));
        List<Frame> frames = exchange(concat(sound, more, asterisk, PING_FRAME));
        assertNull(H2Wire.first(frames, GOAWAY), frames.toString());
        assertNull(H2Wire.first(frames, RST_STREAM), frames.toString());
        assertEquals(List.of(1, 3, 5), frames.stream().filter(f -> f.type() == HEADERS).map(Frame::stream).toList(),
                frames.toString());
    }

    /** A field without a name ends the connection with COMPRESSION_ERROR, as HAProxy's HPACK decoder does. */
    @Test
    void aFieldWithoutANameEndsTheConnection() throws IOException {
        answerAtOnce();
        List<Frame> frames = exchange(frame(HEADERS, END_HEADERS | H2Wire.END_STREAM, 1, fields("", "1")));
        Frame goAway = H2Wire.first(frames, GOAWAY);
        assertNotNull(goAway, frames.toString());
        assertEquals(io.netty.handler.codec.http2.Http2Error.COMPRESSION_ERROR.code(), goAway.errorCode());
        assertNull(H2Wire.first(frames, HEADERS), frames.toString());
    }
}
