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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.plugin.http.H2Wire.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        kernel = FakeKernel.h2Forbidding(origin.address());
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

    /**
     * The encoder, frame writer and flow controller as {@link Http2ClientHandler.Builder} puts them
     * together, under Netty's own connection handler as the lifecycle manager (counting what it is
     * told, then doing what it does), on an embedded channel whose writes fail once {@link #failWrites}
     * is set: what the socket harness above cannot show (a stream's state, a failed write).
     */
    private static final class Encoding implements AutoCloseable {
        final DefaultHttp2Connection connection = new DefaultHttp2Connection(true);
        final Http2ResponseFrameWriter writer = new Http2ResponseFrameWriter(new DefaultHttp2HeadersEncoder());
        final Http2BatchFlowController flow =
                new Http2BatchFlowController(connection, new UniformStreamByteDistributor(connection), writer);
        /** The outbound errors the lifecycle manager was told of. */
        final List<Throwable> errors = new ArrayList<>();
        /** Per stream: the lifecycle manager's closeStream calls, and the stream's closes. */
        final Map<Integer, Integer> closeCalls = new HashMap<>();
        final Map<Integer, Integer> closes = new HashMap<>();
        final IOException failure = new IOException("the write failed");
        boolean failWrites;
        final EmbeddedChannel channel;
        final ChannelHandlerContext ctx;
        final Http2ResponseDataEncoder encoder;

        Encoding() {
            connection.remote().flowController(flow);
            encoder = new Http2ResponseDataEncoder(new DefaultHttp2ConnectionEncoder(connection, writer), writer);
            DefaultHttp2ConnectionDecoder decoder =
                    new DefaultHttp2ConnectionDecoder(connection, encoder, new DefaultHttp2FrameReader());
            decoder.frameListener(new Http2FrameAdapter());
            connection.addListener(new Http2ConnectionAdapter() {
                @Override
                public void onStreamClosed(Http2Stream stream) {
                    closes.merge(stream.id(), 1, Integer::sum);
                }
            });
            Http2ConnectionHandler lifecycle = new Http2ConnectionHandler(decoder, encoder, new Http2Settings()) {
                @Override
                public void onError(ChannelHandlerContext ctx, boolean outbound, Throwable cause) {
                    if (outbound) {
                        errors.add(cause);
                    }
                    super.onError(ctx, outbound, cause);
                }

                @Override
                public void closeStream(Http2Stream stream, ChannelFuture future) {
                    closeCalls.merge(stream.id(), 1, Integer::sum);
                    super.closeStream(stream, future);
                }
            };
            channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
                private final List<ChannelPromise> held = new ArrayList<>();

                @Override
                public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                    if (!failWrites) {
                        ctx.write(msg, promise);
                        return;
                    }
                    // Failed at the flush, as a socket's error comes.
                    ReferenceCountUtil.release(msg);
                    held.add(promise);
                }

                @Override
                public void flush(ChannelHandlerContext ctx) {
                    if (!failWrites) {
                        ctx.flush();
                        return;
                    }
                    List<ChannelPromise> failing = new ArrayList<>(held);
                    held.clear();
                    failing.forEach(p -> p.tryFailure(failure));
                }
            }, lifecycle);
            ctx = channel.pipeline().context(lifecycle);
            written();
        }

        /** A client's request, HALF_CLOSED_REMOTE, whose response is a head and {@code body}, ending it. */
        Http2Stream respond(int id, ByteBuf body) throws Http2Exception {
            Http2Stream stream = connection.remote().createStream(id, true);
            encoder.writeHeaders(ctx, id, new DefaultHttp2Headers().status("200"), 0, false, ctx.voidPromise());
            encoder.writeData(ctx, id, body, 0, true, ctx.voidPromise());
            return stream;
        }

        /** The frames the channel wrote and flushed since the last call. */
        List<Frame> written() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
                byte[] bytes = new byte[buf.readableBytes()];
                buf.readBytes(bytes);
                buf.release();
                out.write(bytes, 0, bytes.length);
            }
            return H2Wire.frames(out.toByteArray());
        }

        int closeCalls(int stream) {
            return closeCalls.getOrDefault(stream, 0);
        }

        int closes(int stream) {
            return closes.getOrDefault(stream, 0);
        }

        @Override
        public void close() {
            failWrites = false;
            channel.finishAndReleaseAll();
        }
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    @Test
    void aStreamWhoseLastDataWaitsOnItsWindowStaysOpenUntilItsOwnLaterBatchIsWritten() throws Exception {
        try (Encoding h2 = new Encoding()) {
            h2.flow.initialWindowSize(0);
            Http2Stream one = h2.respond(1, ascii("ok"));
            Http2Stream three = h2.respond(3, ascii("ok"));
            Http2Stream five = h2.respond(5, ascii("no!"));
            h2.flow.incrementWindowSize(one, 100);
            h2.flow.incrementWindowSize(three, 100);
            h2.flow.incrementWindowSize(five, 1);
            h2.channel.flush();

            List<Frame> first = h2.written();
            assertEquals(List.of(1, 3), first.stream().filter(f -> (f.flags() & END_STREAM) != 0).map(Frame::stream).toList(),
                    first.toString());
            assertEquals(List.of(1), data(first, 5).stream().map(f -> f.payload().length).toList(), "a piece the window allows");
            assertEquals(Http2Stream.State.CLOSED, one.state());
            assertEquals(Http2Stream.State.CLOSED, three.state());
            assertEquals(Http2Stream.State.HALF_CLOSED_REMOTE, five.state(), "the batch that ended 1 and 3 does not end 5");
            assertEquals(0, h2.closeCalls(5));

            h2.flow.incrementWindowSize(five, 100);
            h2.flow.writePendingBytes();
            assertEquals(Http2Stream.State.HALF_CLOSED_REMOTE, five.state(), "its batch is handed over, not yet written");
            h2.channel.flush();
            List<Frame> second = h2.written();
            assertEquals(List.of(2), data(second, 5).stream().map(f -> f.payload().length).toList(), second.toString());
            assertTrue(ends(data(second, 5).get(0), 5));
            assertEquals(Http2Stream.State.CLOSED, five.state());
            for (int stream : new int[] {1, 3, 5}) {
                assertEquals(1, h2.closeCalls(stream), "stream " + stream);
                assertEquals(1, h2.closes(stream), "stream " + stream);
            }
            assertEquals(List.of(), h2.errors);
        }
    }

    @Test
    void aFailedBatchWriteIsToldOnceToEachStreamItEndedAndClosesEachOnce() throws Exception {
        try (Encoding h2 = new Encoding()) {
            int[] streams = {1, 3, 5, 7};
            for (int stream : streams) {
                h2.respond(stream, ascii("ok"));
            }
            h2.failWrites = true;
            h2.channel.flush();

            assertEquals(streams.length, h2.errors.stream().filter(e -> e == h2.failure).count(), h2.errors.toString());
            for (int stream : streams) {
                assertEquals(1, h2.closeCalls(stream), "stream " + stream);
                assertEquals(1, h2.closes(stream), "stream " + stream);
                assertEquals(Http2Stream.State.CLOSED, h2.connection.stream(stream) == null
                        ? Http2Stream.State.CLOSED : h2.connection.stream(stream).state());
            }
        }
    }

    @Test
    void aLastDataFrameThatCannotBeCopiedResetsItsStreamAloneAndTheBatchEndsTheOthers() throws Exception {
        try (Encoding h2 = new Encoding()) {
            Http2Stream one = h2.respond(1, ascii("ok"));
            Http2Stream three = h2.respond(3, ascii("ok"));
            Http2Stream five = h2.respond(5, new CopyRefusingBuf(new byte[] {'n', 'o'}));
            h2.channel.flush();

            List<Frame> frames = h2.written();
            assertEquals(List.of(1, 3), frames.stream().filter(f -> f.type() == DATA).map(Frame::stream).toList(),
                    frames.toString());
            assertTrue(frames.stream().filter(f -> f.type() == DATA).allMatch(f -> (f.flags() & END_STREAM) != 0));
            assertEquals(List.of(5), frames.stream().filter(f -> f.type() == RST_STREAM).map(Frame::stream).toList(),
                    "the stream whose end never left is reset");
            assertEquals(Http2Stream.State.CLOSED, one.state());
            assertEquals(Http2Stream.State.CLOSED, three.state());
            assertEquals(Http2Stream.State.CLOSED, five.state());
            assertEquals(1, h2.errors.size(), h2.errors.toString());
            Http2Exception.StreamException error = assertInstanceOf(Http2Exception.StreamException.class, h2.errors.get(0));
            assertEquals(5, error.streamId(), "only stream 5 hears of it");
            assertEquals(1, h2.closeCalls(1));
            assertEquals(1, h2.closeCalls(3));
            assertTrue(h2.channel.isActive(), "the connection goes on");
        }
    }
}
