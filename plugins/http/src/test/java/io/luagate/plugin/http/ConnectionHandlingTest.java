package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.rule.Verdict;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Connection as HAProxy's H1 parser leaves it (close and keep-alive read, then removed), the last
 * line of a header, and Upgrade as an HTTP/1.1-only affair, on raw sockets.
 */
class ConnectionHandlingTest {

    @Test
    void connectionOptionsAreReadThenHiddenFromTheRules() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Origin origin = new Origin(); FakeKernel kernel = new FakeKernel(origin.address())) {
            kernel.frontend.requestRules.add(txn -> {
                seen.add(String.valueOf(txn.request().headers("connection")));
                return Verdict.CONTINUE;
            });
            try (RawClient client = new RawClient(kernel.port())) {
                client.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                RawClient.Response first = client.read();
                assertEquals(200, first.status());
                assertEquals("keep-alive", first.header("connection"), "the client's keep-alive was still honoured");
                client.send("GET /b HTTP/1.1\r\nConnection: foo,close,  bar\r\nConnection: x ,  KEEP-ALIVE , y\r\n"
                        + "Connection: Close\r\nConnection:\r\n\r\n");
                RawClient.Response second = client.read();
                assertEquals("close", second.header("connection"), "the client's close was still honoured");
                assertTrue(client.closedByServer());
            }
        }
        assertEquals(List.of("[]", "[foo,bar, x ,y]"), seen);
    }

    @Test
    void aStreamCountsTheBytesOfItsRequestHeadToo() throws Exception {
        String first = "GET /a HTTP/1.1\r\nhost: x\r\n\r\n";
        String second = "POST /b HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\n\r\nabc";
        try (Origin origin = new Origin(); FakeKernel kernel = new FakeKernel(origin.address());
                RawClient client = new RawClient(kernel.port())) {
            client.send(first);
            assertEquals(200, client.read().status());
            assertEquals(first.length(), kernel.nextEnded().bytesIn, "HAProxy's bin: head included");
            client.send(second);
            assertEquals(200, client.read().status());
            assertEquals(second.length(), kernel.nextEnded().bytesIn);
        }
    }

    @Test
    void theLastLineOfAHeaderIsItsLastOccurrence() {
        io.netty.handler.codec.http.HttpRequest request = new io.netty.handler.codec.http.DefaultHttpRequest(
                io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpMethod.GET, "/");
        request.headers().add("X", "a, b").add("Y", "1").add("x", "c,d");
        NettyHttpHead head = new NettyHttpHead(request);
        assertEquals("c,d", head.lastHeader("x"));
        assertEquals("a, b", head.header("x"));
        assertNull(head.lastHeader("z"));
    }

    @Test
    void aServersConnectionOptionsAreHiddenFromResponseRulesAndItsCloseHonoured() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (ScriptedOrigin origin = new ScriptedOrigin(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close, x-private\r\nx-private: 1\r\n\r\nok");
                FakeKernel kernel = new FakeKernel(origin.address())) {
            kernel.frontend.responseRules.add(txn -> {
                seen.add(String.valueOf(txn.response().headers("connection")));
                return Verdict.CONTINUE;
            });
            try (RawClient client = new RawClient(kernel.port())) {
                client.send("GET /a HTTP/1.1\r\n\r\n");
                RawClient.Response response = client.read();
                assertEquals("ok", response.body());
                assertNull(response.header("x-private"), "still hop-by-hop");
            }
            assertEquals("--", kernel.nextEnded().termination());
        }
        assertEquals(List.of("[x-private]"), seen);
    }

    @Test
    void anHttp10UpgradeIsNotForwardedAndA101ToItIsA502ThatCloses() throws Exception {
        try (ScriptedOrigin origin = new ScriptedOrigin("HTTP/1.1 101 Switching Protocols\r\nUpgrade: foo\r\nConnection: upgrade\r\n\r\n");
                FakeKernel kernel = new FakeKernel(origin.address())) {
            kernel.frontend.requestRules.add(txn -> {
                if (txn.request().path().equals("/deny")) {
                    throw new AssertionError("never reached: the deny rule's request must not even be parsed here");
                }
                return Verdict.CONTINUE;
            });
            try (RawClient client = new RawClient(kernel.port())) {
                client.send("GET /x HTTP/1.0\r\nHost: a\r\nUpgrade: foo\r\nConnection: upgrade\r\n\r\n"
                        + "GET /deny HTTP/1.1\r\nHost: a\r\n\r\n");
                RawClient.Response response = client.read();
                assertEquals(502, response.status());
                assertEquals("close", response.header("connection"));
                assertTrue(client.closedByServer(), "no tunnel, no second request on this connection");
            }
            FakeKernel.FakeStream stream = kernel.nextEnded();
            assertEquals(502, stream.status);
            assertEquals('S', stream.termination().charAt(0));
            String seen = origin.received().toLowerCase();
            assertTrue(seen.startsWith("get /x http/1.1\r\n"), seen);
            assertFalse(seen.contains("upgrade"), "a 1.0 request's Upgrade is not forwarded: " + seen);
            assertFalse(seen.contains("/deny"), "nothing crossed as a tunnel: " + seen);
        }
    }

    @Test
    void aSwitchTheRequestDidNotAskForIsA502() throws Exception {
        try (ScriptedOrigin origin = new ScriptedOrigin("HTTP/1.1 101 Switching Protocols\r\nUpgrade: foo\r\nConnection: upgrade\r\n\r\n");
                FakeKernel kernel = new FakeKernel(origin.address())) {
            try (RawClient client = new RawClient(kernel.port())) {
                client.send("GET /x HTTP/1.1\r\nHost: a\r\n\r\nGET /deny HTTP/1.1\r\nHost: a\r\n\r\n");
                RawClient.Response response = client.read();
                assertEquals(502, response.status());
                assertEquals("close", response.header("connection"));
                assertTrue(client.closedByServer(), "the pipelined request is not served");
            }
            assertFalse(origin.received().contains("/deny"), origin.received());
        }
    }

    @Test
    void aRequestWrittenBehindAnUpgradeTheServerDeclinesIsReadAsHttp() throws Exception {
        try (Origin origin = new Origin(); FakeKernel kernel = new FakeKernel(origin.address());
                RawClient client = new RawClient(kernel.port())) {
            // The decoder stops after the Upgrade request and goes on only once the exchange stayed in HTTP.
            client.send("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: foo\r\nConnection: upgrade\r\n\r\n"
                    + "\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response first = client.read();
            assertEquals(200, first.status());
            assertTrue(first.body().startsWith("GET /ws "), first.body());
            RawClient.Response second = client.read();
            assertEquals(200, second.status());
            assertTrue(second.body().startsWith("GET /next "), second.body());
            assertEquals(2, origin.requests.get());
        }
    }

    @Test
    void aHeadLargerThanTuneBufsizeIsRefusedEvenWithinMaxHeaderSize() throws Exception {
        try (Origin origin = new Origin(); FakeKernel kernel = new FakeKernel(origin.address())) {
            kernel.frontend.bufferSize = 4096;
            String head = "GET /a HTTP/1.1\r\nHost: a\r\nX-Filler: %s\r\n\r\n";
            try (RawClient client = new RawClient(kernel.port())) {
                client.send(head.formatted("v".repeat(4000)));
                assertEquals(200, client.read().status(), "within tune.bufsize");
            }
            try (RawClient client = new RawClient(kernel.port())) {
                client.send(head.formatted("v".repeat(5000)));
                assertEquals(431, client.read().status(), "beyond tune.bufsize (max-header-size is 16k here)");
                assertTrue(client.closedByServer());
            }
            assertEquals(1, origin.requests.get());
        }
    }
}
