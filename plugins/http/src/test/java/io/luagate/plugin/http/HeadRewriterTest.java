package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.luagate.spi.proxy.ForwardFor;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 9110 section 7.6.1 hop-by-hop handling, both directions. */
class HeadRewriterTest {

    private static HttpRequest request(HttpVersion version, String... headers) {
        HttpRequest request = new DefaultHttpRequest(version, HttpMethod.GET, "/");
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    @Test
    void requestLosesHopByHopHeadersAndTheOnesConnectionNames() {
        HttpRequest request = request(HttpVersion.HTTP_1_0, "Connection", "keep-alive, X-A", "X-A", "1",
                "Keep-Alive", "timeout=5", "Proxy-Connection", "keep-alive", "TE", "trailers", "Upgrade", "h2c",
                "X-Keep", "2", "Content-Length", "0");
        HeadRewriter.forUpstream(request, false);
        for (String gone : List.of("connection", "x-a", "keep-alive", "proxy-connection", "upgrade")) {
            assertFalse(request.headers().contains(gone), gone);
        }
        assertEquals("trailers", request.headers().get("te"), "as HAProxy 2.6.12 sends it");
        assertEquals("2", request.headers().get("x-keep"));
        assertEquals("0", request.headers().get("content-length"), "framing is never hop-by-hop");
        assertEquals(HttpVersion.HTTP_1_1, request.protocolVersion(), "upstream requests are HTTP/1.1");
    }

    /** HAProxy 2.6.12 sends "te: trailers" when TE names trailers, and no TE otherwise (checked against it). */
    @Test
    void teKeepsOnlyTrailers() {
        HttpRequest both = request(HttpVersion.HTTP_1_1, "TE", "deflate, Trailers", "TE", "gzip");
        HeadRewriter.forUpstream(both, false);
        assertEquals(List.of("trailers"), both.headers().getAll("te"));
        HttpRequest none = request(HttpVersion.HTTP_1_1, "TE", "deflate;q=0.5");
        HeadRewriter.forUpstream(none, false);
        assertFalse(none.headers().contains("te"));
    }

    @Test
    void forwardedForIsAddedNotReplaced() throws Exception {
        HttpRequest request = request(HttpVersion.HTTP_1_1, "X-Forwarded-For", "192.0.2.1");
        ForwardedForHeader.add(InetAddress.getByName("10.0.0.1"), null, ForwardFor.DEFAULT, request);
        assertEquals(List.of("192.0.2.1", "10.0.0.1"), request.headers().getAll("x-forwarded-for"));
    }

    @Test
    void forwardForOptions() throws Exception {
        InetAddress client = InetAddress.getByName("10.1.2.3");
        ForwardFor except = new ForwardFor("x-forwarded-for", new byte[] {10, 0, 0, 0}, 8, true);
        HttpRequest inside = request(HttpVersion.HTTP_1_1);
        ForwardedForHeader.add(client, except, null, inside);
        assertFalse(inside.headers().contains("x-forwarded-for"), "client in the except network");
        HttpRequest outside = request(HttpVersion.HTTP_1_1);
        ForwardedForHeader.add(InetAddress.getByName("192.0.2.7"), except, null, outside);
        assertEquals("192.0.2.7", outside.headers().get("x-forwarded-for"));
        HttpRequest present = request(HttpVersion.HTTP_1_1, "X-Forwarded-For", "1.1.1.1");
        ForwardedForHeader.add(InetAddress.getByName("192.0.2.7"), except, null, present);
        assertEquals(List.of("1.1.1.1"), present.headers().getAll("x-forwarded-for"), "if-none");
        // The backend's header name wins; the frontend's option without if-none adds it anyway.
        HttpRequest both = request(HttpVersion.HTTP_1_1, "X-Client", "1.1.1.1");
        ForwardedForHeader.add(InetAddress.getByName("::1"), ForwardFor.DEFAULT,
                new ForwardFor("x-client", null, 0, true), both);
        assertEquals(List.of("1.1.1.1", "::1"), both.headers().getAll("x-client"));
        assertFalse(both.headers().contains("x-forwarded-for"));
    }

    @Test
    void upgradeHandshakeKeepsItsHeaders() {
        HttpRequest request = request(HttpVersion.HTTP_1_1, "Connection", "Upgrade", "Upgrade", "websocket");
        HeadRewriter.forUpstream(request, true);
        assertEquals("upgrade", request.headers().get("connection"));
        assertEquals("websocket", request.headers().get("upgrade"));
        HttpResponse switching = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        switching.headers().add("Connection", "Upgrade").add("Upgrade", "websocket");
        HeadRewriter.forClient(switching, HttpVersion.HTTP_1_1, true);
        assertEquals("upgrade", switching.headers().get("connection"));
        assertEquals("websocket", switching.headers().get("upgrade"));
    }

    @Test
    void responseStatesTheClientConnectionsOwnSemantics() {
        HttpResponse close = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        close.headers().add("Connection", "keep-alive, X-Private").add("X-Private", "s").add("Keep-Alive", "timeout=5");
        HeadRewriter.forClient(close, HttpVersion.HTTP_1_1, false);
        assertEquals("close", close.headers().get("connection"));
        assertNull(close.headers().get("x-private"));
        assertNull(close.headers().get("keep-alive"));

        HttpResponse old = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HeadRewriter.forClient(old, HttpVersion.HTTP_1_0, true);
        assertEquals("keep-alive", old.headers().get("connection"), "HTTP/1.0 needs keep-alive said aloud");

        HttpResponse modern = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        modern.headers().add("Connection", "close");
        HeadRewriter.forClient(modern, HttpVersion.HTTP_1_1, true);
        assertNull(modern.headers().get("connection"), "HTTP/1.1 keep-alive is the default: nothing to say");
    }
}
