package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** HTTP proxying through real sockets: balancing, connection reuse, pipelining, header rules. */
class ProxyingIT {

    @Test
    void weightedRoundRobinOverThreeUpstreams() throws Exception {
        try (TestUpstream a = TestUpstream.named("a"); TestUpstream b = TestUpstream.named("b");
             TestUpstream c = TestUpstream.named("c");
             InProcessProxy proxy = InProcessProxy.start("""
                     global.threads = 1
                     log.target = none
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                     backends.be { servers {
                       a = { address = "%s", weight = 1 }
                       b = { address = "%s", weight = 2 }
                       c = { address = "%s", weight = 3 } } }
                     """.formatted(a.address(), b.address(), c.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i < 60; i++) {
                Http.Message response = client.get("/" + i);
                assertEquals(200, response.status());
                counts.merge(response.header("x-served-by"), 1, Integer::sum);
            }
            assertEquals(Map.of("a", 10, "b", 20, "c", 30), counts);
        }
    }

    @Test
    void hundredRequestsOnOneClientConnectionUseOneUpstreamConnection() throws Exception {
        try (TestUpstream up = TestUpstream.named("up");
             InProcessProxy proxy = InProcessProxy.start(InProcessProxy.oneBackend(up.address(), ""));
             TestClient client = new TestClient(proxy.port("fe"))) {
            for (int i = 0; i < 100; i++) {
                Http.Message response = client.get("/r" + i);
                assertEquals(200, response.status());
                assertEquals("up /r" + i, response.bodyText());
            }
            assertEquals(1, up.connectionCount());
            assertEquals(100, up.connections().get(0).requests.size());
        }
    }

    @Test
    void twoBackendsNeverShareAnUpstreamConnection() throws Exception {
        try (TestUpstream up = TestUpstream.named("up");
             InProcessProxy proxy = InProcessProxy.start("""
                     global.threads = 1
                     log.target = none
                     frontends.one { bind = ["127.0.0.1:0"], default-backend = one }
                     frontends.two { bind = ["127.0.0.1:0"], default-backend = two }
                     backends.one { http-reuse = always, servers { s = "%1$s" } }
                     backends.two { http-reuse = always, servers { s = "%1$s" } }
                     """.formatted(up.address()));
             TestClient one = new TestClient(proxy.port("one"));
             TestClient two = new TestClient(proxy.port("two"))) {
            for (int i = 0; i < 20; i++) {
                assertEquals(200, one.get("/one").status());
                assertEquals(200, two.get("/two").status());
            }
            // Same address, same loop, reuse "always": only the backend tells the pools apart.
            assertEquals(2, up.connectionCount());
            for (TestUpstream.Connection connection : up.connections()) {
                Set<String> paths = new HashSet<>();
                connection.requests.forEach(r -> paths.add(r.target()));
                assertEquals(1, paths.size(), "one upstream connection carried requests of both backends: " + paths);
            }
        }
    }

    @Test
    void httpReusePolicies() throws Exception {
        for (String policy : List.of("never", "safe", "always")) {
            try (TestUpstream up = TestUpstream.named("up");
                 InProcessProxy proxy = InProcessProxy.start("""
                         global.threads = 1
                         log.target = none
                         frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                         backends.be { http-reuse = %s, servers { s = "%s" } }
                         """.formatted(policy, up.address()))) {
                for (int client = 0; client < 3; client++) {
                    try (TestClient c = new TestClient(proxy.port("fe"))) {
                        assertEquals(200, c.get("/first").status());
                        assertEquals(200, c.get("/second").status());
                    }
                    Thread.sleep(100);
                }
                int expected = switch (policy) {
                    // never: each client connection has its own upstream connection, closed with it.
                    case "never" -> 3;
                    // safe: a client connection's first request always gets a brand-new connection.
                    case "safe" -> 3;
                    // always: the idle connection is reused by every later client.
                    default -> 1;
                };
                assertEquals(expected, up.connectionCount(), "http-reuse " + policy);
                if (policy.equals("never")) {
                    assertTrue(up.connections().stream().allMatch(conn -> conn.closedByPeer),
                            "private connections close with their client");
                }
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (TestUpstream up = TestUpstream.with("slow-first", (request, connection, out) -> {
                 if (request.target().equals("/1")) {
                     Thread.sleep(200);
                 }
                 TestUpstream.respond(out, 200, Map.of(), request.target().getBytes());
                 return true;
             });
             InProcessProxy proxy = InProcessProxy.start(InProcessProxy.oneBackend(up.address(), ""));
             TestClient client = new TestClient(proxy.port("fe"))) {
            StringBuilder burst = new StringBuilder();
            for (int i = 1; i <= 5; i++) {
                burst.append("GET /").append(i).append(" HTTP/1.1\r\nHost: t\r\n\r\n");
            }
            client.send(burst.toString());
            for (int i = 1; i <= 5; i++) {
                assertEquals("/" + i, client.read().bodyText());
            }
        }
    }

    @Test
    void hopByHopHeadersAreRemovedAndForwardedForAdded() throws Exception {
        try (TestUpstream up = TestUpstream.with("echo-headers", (request, connection, out) -> {
                 StringBuilder seen = new StringBuilder();
                 request.headers().forEach((name, values) -> seen.append(name).append('=').append(values).append('\n'));
                 TestUpstream.respond(out, 200, Map.of("Connection", "keep-alive, X-Private", "X-Private", "secret",
                         "Keep-Alive", "timeout=5"), seen.toString().getBytes());
                 return true;
             });
             InProcessProxy proxy = InProcessProxy.start(InProcessProxy.oneBackend(up.address(), "forwardfor = true"));
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\n"
                    + "Keep-Alive: timeout=9\r\nProxy-Connection: keep-alive\r\nX-End: 2\r\n\r\n");
            Http.Message response = client.read();
            String seen = response.bodyText();
            assertTrue(seen.contains("x-end=[2]"), seen);
            assertTrue(seen.contains("x-forwarded-for=[127.0.0.1]"), seen);
            for (String hop : List.of("x-hop", "keep-alive", "proxy-connection", "connection")) {
                assertTrue(!seen.contains(hop + "="), hop + " reached the server: " + seen);
            }
            assertNull(response.header("x-private"));
            assertNull(response.header("keep-alive"));
            assertNull(response.header("connection"));
        }
    }

    @Test
    void http10ClientGetsItsAnswerAndTheConnectionClosed() throws Exception {
        try (TestUpstream up = TestUpstream.named("up");
             InProcessProxy proxy = InProcessProxy.start(InProcessProxy.oneBackend(up.address(), ""));
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("GET /old HTTP/1.0\r\n\r\n");
            Http.Message response = client.read();
            assertEquals(200, response.status());
            assertEquals("up /old", response.bodyText());
            assertTrue(client.closedByServer(2000));
        }
    }

    @Test
    void clientThatHalfClosesAfterItsRequestsStillGetsTheAnswers() throws Exception {
        try (TestUpstream up = TestUpstream.named("up");
             InProcessProxy proxy = InProcessProxy.start(InProcessProxy.oneBackend(up.address(), ""));
             TestClient client = new TestClient(proxy.port("fe"))) {
            client.send("GET /1 HTTP/1.1\r\nHost: t\r\n\r\nGET /2 HTTP/1.1\r\nHost: t\r\n\r\n");
            client.socket().shutdownOutput();
            assertEquals("up /1", client.read().bodyText());
            assertEquals("up /2", client.read().bodyText());
            assertTrue(client.closedByServer(2000));
        }
    }

    @Test
    void returnAndDenyRulesAnswerWithoutAServer() throws Exception {
        try (InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.hello { bind = ["127.0.0.1:0"], http-request = [
                       "return status 201 content-type text/plain string \\"hi\\\\n\\" hdr X-A b" ] }
                     frontends.denied { bind = ["127.0.0.1:0"], http-request = [ "deny deny_status 429" ] }
                     """);
             TestClient hello = new TestClient(proxy.port("hello"));
             TestClient denied = new TestClient(proxy.port("denied"))) {
            hello.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            Http.Message response = hello.read();
            assertEquals(201, response.status());
            assertEquals("text/plain", response.header("content-type"));
            assertEquals("b", response.header("x-a"));
            assertEquals("hi\n", response.bodyText());
            Http.Message second = hello.get("/again");
            assertEquals(201, second.status(), "the connection stays usable after a return");
            Http.Message deny = denied.get("/");
            assertEquals(429, deny.status());
            assertTrue(deny.bodyText().contains("429 Too Many Requests"));
        }
    }
}
