package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.rule.Verdict;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server's status lines on raw sockets: interim responses forwarded as HAProxy 2.6.12 forwards
 * them, status digits as the server wrote them, and a status line that is not HTTP failed at once with 502.
 */
class UpstreamStatusTest {

    private static final String INTERIM_THEN_FINAL = "HTTP/1.1 102 Still Going\r\nX-A: 1\r\nConnection: keep-alive\r\n\r\n"
            + "HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\nContent-Length: 0\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1", "HTTP/1.0"})
    void interimResponsesReachTheClientAheadOfTheFinalOneWithoutTheRules(String version) throws Exception {
        List<Integer> ruled = new CopyOnWriteArrayList<>();
        try (ScriptedOrigin origin = new ScriptedOrigin(INTERIM_THEN_FINAL);
                FakeKernel kernel = new FakeKernel(origin.address())) {
            kernel.frontend.responseRules.add(txn -> {
                ruled.add(txn.response().status());
                return Verdict.CONTINUE;
            });
            try (RawClient client = new RawClient(kernel.port())) {
                client.send("GET /x " + version + "\r\nHost: a\r\n\r\n");
                // HAProxy 2.6.12 forwards them to HTTP/1.0 clients too, with the server's reason.
                String processing = client.readLine();
                assertEquals("HTTP/1.1 102 Still Going", processing);
                RawClient.Response rest = client.readHeadersAfterStatusLine(102);
                assertEquals("1", rest.header("x-a"));
                assertNull(rest.header("connection"), "hop-by-hop, as on any response");
                RawClient.Response hints = client.read();
                assertEquals(103, hints.status());
                assertEquals("</s.css>; rel=preload", hints.header("link"));
                assertNull(hints.header("content-length"), "an interim response has no body to frame");
                RawClient.Response last = client.read();
                assertEquals(200, last.status());
                assertEquals("ok", last.body());
            }
            FakeKernel.FakeStream stream = kernel.nextEnded();
            assertEquals(200, stream.status);
            assertEquals("--", stream.termination());
        }
        assertEquals(List.of(200), ruled, "the response rules run on the final response only");
    }

    /**
     * Status digits other than the usual three, and three-digit statuses above 599, as HAProxy
     * 2.6.12 forwarded them when recorded: the status line as the server wrote it (an empty reason
     * after a blank), the value read as a number (log, framing), the length kept, the connection pooled.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "HTTP/1.1 0200 OK|200|HTTP/1.1 0200 OK",
        "HTTP/1.1 00200 OK|200|HTTP/1.1 00200 OK",
        "HTTP/1.1 0404 Gone|404|HTTP/1.1 0404 Gone",
        "HTTP/1.1 999 Custom|999|HTTP/1.1 999 Custom",
        "HTTP/1.1 600 X|600|HTTP/1.1 600 X",
        "HTTP/1.1 200|200|'HTTP/1.1 200 '"})
    void statusDigitsReachTheClientAsTheServerWroteThem(String statusLine, int status, String forwarded) throws Exception {
        try (ScriptedOrigin origin = new ScriptedOrigin(statusLine + "\r\nContent-Length: 2\r\n\r\nok");
                FakeKernel kernel = new FakeKernel(origin.address()); RawClient client = new RawClient(kernel.port())) {
            client.send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(forwarded, client.readLine());
            RawClient.Response rest = client.readHeadersAfterStatusLine(status);
            assertEquals("2", rest.header("content-length"));
            assertEquals("ok", rest.body());
            FakeKernel.FakeStream stream = kernel.nextEnded();
            assertEquals(status, stream.status);
            assertEquals("--", stream.termination());
            assertEquals(List.of(true), kernel.releasedReusable, "pooled");
        }
    }

    /**
     * {@code 0204} is a 204 (HAProxy 2.6.12 forwarded {@code HTTP/1.1 0204 X} without the length
     * or the body): the value decides the framing, the digits go as written.
     */
    @Test
    void aStatusWithALeadingZeroIsFramedByItsValue() throws Exception {
        try (ScriptedOrigin origin = new ScriptedOrigin("HTTP/1.1 0204 X\r\nContent-Length: 2\r\n\r\n");
                FakeKernel kernel = new FakeKernel(origin.address()); RawClient client = new RawClient(kernel.port())) {
            client.send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("HTTP/1.1 0204 X", client.readLine());
            RawClient.Response rest = client.readHeadersAfterStatusLine(204);
            assertNull(rest.header("content-length"));
            assertEquals(204, kernel.nextEnded().status);
        }
    }

    /**
     * A bodiless response keeps {@code Transfer-Encoding: chunked} for the client, as HAProxy
     * 2.6.12 did when recorded (answering HEAD, and on a 304; a 204 goes without it), with no body;
     * HAProxy kept the server connection after the HEAD, not after the 304 or the 204.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "HEAD|HTTP/1.1 200 OK|200|chunked|true",
        "GET|HTTP/1.1 304 Not Modified|304|chunked|false",
        "GET|HTTP/1.1 204 No Content|204||false"})
    void aBodilessResponseKeepsItsChunkedCoding(String method, String statusLine, int status, String coding, boolean pooled)
            throws Exception {
        try (ScriptedOrigin origin = new ScriptedOrigin(statusLine + "\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n");
                FakeKernel kernel = new FakeKernel(origin.address()); RawClient client = new RawClient(kernel.port())) {
            client.send(method + " /x HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response response = client.read(true);
            assertEquals(status, response.status());
            assertEquals(coding, response.header("transfer-encoding"));
            assertNull(response.header("content-length"));
            assertNull(response.header("connection"), "the close token is the server connection's, not the client's");
            assertEquals("1", response.header("x-a"));
            FakeKernel.FakeStream stream = kernel.nextEnded();
            assertEquals("--", stream.termination());
            assertEquals(List.of(pooled), kernel.releasedReusable);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.1 20 OK\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 099 Early\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 OK\r\nContent-Length: 2\r\n\r\nok",
        "GARBAGE\r\n\r\n"})
    void aMalformedStatusLineIsA502AtOnceAndItsConnectionIsNotKept(String answer) throws Exception {
        try (ScriptedOrigin origin = new ScriptedOrigin(answer); FakeKernel kernel = new FakeKernel(origin.address());
                RawClient client = new RawClient(kernel.port())) {
            long start = System.nanoTime();
            client.send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response response = client.read();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(502, response.status());
            assertTrue(millis < 2_000, "not at timeout.server (5 s): " + millis + " ms");
            FakeKernel.FakeStream stream = kernel.nextEnded();
            assertEquals("SH", stream.termination());
            assertEquals(List.of(false), kernel.releasedReusable, "never pooled");
            client.send("GET /y HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(502, client.read().status(), "the client connection stays usable");
        }
    }
}
