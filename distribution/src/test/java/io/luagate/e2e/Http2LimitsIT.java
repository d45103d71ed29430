package io.luagate.e2e;

import static io.luagate.e2e.support.RawH2.CONTINUATION;
import static io.luagate.e2e.support.RawH2.DATA;
import static io.luagate.e2e.support.RawH2.END_HEADERS;
import static io.luagate.e2e.support.RawH2.END_STREAM;
import static io.luagate.e2e.support.RawH2.GOAWAY;
import static io.luagate.e2e.support.RawH2.HEADERS;
import static io.luagate.e2e.support.RawH2.PING;
import static io.luagate.e2e.support.RawH2.RST_STREAM;
import static io.luagate.e2e.support.RawH2.SETTINGS;
import static io.luagate.e2e.support.RawH2.first;
import static io.luagate.e2e.support.RawH2.frame;
import static io.luagate.e2e.support.RawH2.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.DistributionProcess;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.RawH2;
import io.luagate.e2e.support.RawH2.Frame;
import io.luagate.e2e.support.TestUpstream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 on client connections at its limits: {@code global.tune.h2} as the client sees it, the
 * floods a client may try (CONTINUATION, empty frames, PING and SETTINGS it never reads the answers
 * of, resets it provokes), and the GOAWAY of a graceful stop. Raw frames over real sockets.
 */
class Http2LimitsIT {

    private static final int REFUSED_STREAM = 0x7;
    private static final int ENHANCE_YOUR_CALM = 0xb;
    private static final int PROTOCOL_ERROR = 0x1;

    private static final String ANSWERING = """
            global.threads = 1
            log.target = none
            frontends.fe { bind = [ { address = "127.0.0.1:0", proto = h2 } ], timeout.client = 10s
                           http-request = [ "return status 200 content-type text/plain string ok" ] }
            """;

    @Test
    void settingsCarryGlobalTuneH2AndTheStreamLimitHolds() throws Exception {
        String config = """
                global.threads = 1
                log.target = none
                global.tune.h2 { max-concurrent-streams = 7, header-table-size = 8192, initial-window-size = 1000000 }
                frontends.fe { bind = [ { address = "127.0.0.1:0", proto = h2 } ], timeout { client = 10s, tarpit = 5s }
                               http-request = [ "tarpit" ] }
                """;
        try (InProcessProxy proxy = InProcessProxy.start(config); RawH2 h2 = new RawH2(proxy.port("fe"))) {
            Frame settings = h2.next(5_000);
            assertNotNull(settings);
            assertEquals(SETTINGS, settings.type());
            assertEquals(8192, settings.setting(0x1), "SETTINGS_HEADER_TABLE_SIZE");
            assertEquals(7, settings.setting(0x3), "SETTINGS_MAX_CONCURRENT_STREAMS");
            assertEquals(1_000_000, settings.setting(0x4), "SETTINGS_INITIAL_WINDOW_SIZE");
            // Seven requests held by the tarpit; the eighth is one too many.
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int stream = 1; stream <= 15; stream += 2) {
                out.writeBytes(frame(HEADERS, END_HEADERS | END_STREAM, stream, get("/")));
            }
            h2.write(out.toByteArray());
            Frame reset = first(h2.until(RST_STREAM, 3_000), RST_STREAM);
            assertNotNull(reset, "no stream refused");
            assertEquals(15, reset.stream());
            assertEquals(REFUSED_STREAM, reset.errorCode());
        }
    }

    @Test
    void aValueOutOfHaproxysBoundsRefusesTheStartWithItsLine() throws Exception {
        Path config = InProcessProxy.writeConfig("""
                global.tune.h2.max-frame-size = 1000
                frontends.fe { bind = [ { address = "127.0.0.1:0", proto = h2 } ], http-request = [ "return status 200" ] }
                """);
        DistributionProcess check = DistributionProcess.run(InProcessProxy.distribution(), "check", "-c", config.toString());
        assertEquals(1, check.exitValue(), check.output());
        assertTrue(check.output().contains(config + ":1: global.tune.h2.max-frame-size: 1000 is out of range [16384, 16777215]"),
                check.output());
    }

    /** Endless CONTINUATION frames: the header list size limit (tune.bufsize) ends the connection. */
    @Test
    void aContinuationFloodIsCutByTheHeaderListSize() throws Exception {
        try (InProcessProxy proxy = InProcessProxy.start(ANSWERING); RawH2 h2 = new RawH2(proxy.port("fe"))) {
            byte[] fields = headerFields(16_000);
            h2.write(frame(HEADERS, 0, 1, get("/")));
            for (int i = 0; i < 200 && h2.write(frame(CONTINUATION, 0, 1, fields)); i++) {
                // Until the connection is gone: 200 frames are 3.2 MB of header fields.
            }
            assertGoaway(h2, PROTOCOL_ERROR);
        }
    }

    /** CONTINUATION frames that carry nothing never reach the size limit: their count does. */
    @Test
    void emptyContinuationFramesAreCounted() throws Exception {
        try (InProcessProxy proxy = InProcessProxy.start(ANSWERING); RawH2 h2 = new RawH2(proxy.port("fe"))) {
            byte[] empty = frame(CONTINUATION, 0, 1, new byte[0]);
            h2.write(RawH2.concat(frame(HEADERS, 0, 1, get("/")), repeat(empty, 1000)));
            assertGoaway(h2, ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void emptyDataFramesAreCounted() throws Exception {
        try (InProcessProxy proxy = InProcessProxy.start(ANSWERING); RawH2 h2 = new RawH2(proxy.port("fe"))) {
            h2.write(RawH2.concat(frame(HEADERS, END_HEADERS, 1, get("/")), repeat(frame(DATA, 0, 1, new byte[0]), 100)));
            assertGoaway(h2, ENHANCE_YOUR_CALM);
        }
    }

    /**
     * Frames that each make luagate reset a stream ("MadeYouReset": a WINDOW_UPDATE of 0 on an open
     * stream) count as the client's own resets do: past 200 in 30 s the connection ends.
     */
    @Test
    void resetsTheClientProvokesAreCounted() throws Exception {
        try (InProcessProxy proxy = InProcessProxy.start(ANSWERING); RawH2 h2 = new RawH2(proxy.port("fe"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int stream = 1; stream < 2 * 400; stream += 2) {
                out.writeBytes(frame(HEADERS, END_HEADERS, stream, get("/")));
                out.writeBytes(frame(0x8, 0, stream, new byte[4]));
            }
            h2.write(out.toByteArray());
            assertGoaway(h2, ENHANCE_YOUR_CALM);
        }
    }

    /**
     * A client that sends PING (or SETTINGS) frames and never reads their acknowledgements: once the
     * socket is full, the answers queue up to Netty's bound, then the connection ends; the next
     * client is served as usual.
     */
    @Test
    void controlFramesFromAClientThatNeverReadsAreBounded() throws Exception {
        try (InProcessProxy proxy = InProcessProxy.start(ANSWERING)) {
            for (byte[] control : List.of(frame(PING, 0, 0, new byte[8]), frame(SETTINGS, 0, 0, new byte[0]))) {
                // A small receive window: the server's socket fills sooner, the answers queue sooner.
                try (RawH2 h2 = new RawH2(proxy.port("fe"), 4096)) {
                    byte[] batch = repeat(control, 1000);
                    long sent = 0;
                    while (sent < 20_000_000 && h2.write(batch)) {
                        sent += 1000;
                    }
                    assertTrue(sent < 20_000_000, "a client that never reads was not cut off after " + sent + " frames");
                }
            }
            try (RawH2 h2 = new RawH2(proxy.port("fe"))) {
                h2.write(frame(HEADERS, END_HEADERS | END_STREAM, 1, get("/")));
                Frame answer = first(h2.until(DATA, 5_000), DATA);
                assertNotNull(answer, "the next client was not served");
                assertEquals("ok", new String(answer.payload(), StandardCharsets.ISO_8859_1));
            }
        }
    }

    /** A graceful stop (SIGTERM): GOAWAY at once, the stream under way still completes, then the close. */
    @Test
    void aGracefulStopSendsGoawayAndLetsTheStreamFinish() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        try (TestUpstream up = TestUpstream.with("slow", (request, connection, out) -> {
                 arrived.countDown();
                 Thread.sleep(1_000);
                 TestUpstream.respond(out, 200, Map.of(), "late".getBytes(StandardCharsets.ISO_8859_1));
                 return true;
             });
             InProcessProxy proxy = InProcessProxy.start("""
                     global.threads = 1
                     log.target = none
                     frontends.fe { bind = [ { address = "127.0.0.1:0", proto = h2 } ], default-backend = be }
                     backends.be { servers { s = "%s" } }
                     """.formatted(up.address()));
             RawH2 h2 = new RawH2(proxy.port("fe"))) {
            h2.write(frame(HEADERS, END_HEADERS | END_STREAM, 1, get("/slow")));
            assertTrue(arrived.await(5, TimeUnit.SECONDS), "the request did not reach the server");
            CountDownLatch drained = proxy.drainInBackground(Duration.ofSeconds(10));
            List<Frame> frames = new ArrayList<>();
            for (Frame frame; (frame = h2.next(5_000)) != null; ) {
                frames.add(frame);
            }
            List<Integer> types = frames.stream().map(Frame::type).toList();
            int goaway = types.indexOf(GOAWAY);
            int data = types.indexOf(DATA);
            assertTrue(goaway >= 0, "no GOAWAY: " + types);
            assertEquals(0, frames.get(goaway).errorCode(), "GOAWAY NO_ERROR");
            assertTrue(data > goaway, "the response did not come after the GOAWAY: " + types);
            assertEquals("late", new String(frames.get(data).payload(), StandardCharsets.ISO_8859_1));
            assertTrue(h2.closedWithin(1_000), "the connection stayed open after its last stream");
            assertTrue(drained.await(10, TimeUnit.SECONDS), "the drain did not end");
        }
    }

    private static void assertGoaway(RawH2 h2, int code) throws Exception {
        List<Frame> frames = h2.until(GOAWAY, 5_000);
        Frame goaway = first(frames, GOAWAY);
        assertNotNull(goaway, "no GOAWAY: " + frames.stream().map(Frame::type).toList());
        assertEquals(code, goaway.errorCode(), new String(goaway.payload(), 8, goaway.payload().length - 8, StandardCharsets.ISO_8859_1));
        assertTrue(h2.closedWithin(5_000), "the connection stayed open");
    }

    /** Literal header fields, {@code size} bytes of them. */
    private static byte[] headerFields(int size) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (int i = 0; block.size() < size; i++) {
            String name = "x-flood-" + i;
            block.write(0);
            block.write(name.length());
            block.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
            block.write(100);
            block.writeBytes("v".repeat(100).getBytes(StandardCharsets.ISO_8859_1));
        }
        return Arrays.copyOf(block.toByteArray(), block.size());
    }

    private static byte[] repeat(byte[] frame, int times) {
        byte[] out = new byte[frame.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(frame, 0, out, i * frame.length, frame.length);
        }
        return out;
    }
}
