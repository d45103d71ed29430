package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** The checks on a decoded request head that the corpus cannot reach with HAProxy's defaults. */
class RequestHeadCheckTest {

    private static HttpRequest request(HttpVersion version, String uri, int headers) {
        HttpRequest request = new DefaultHttpRequest(version, HttpMethod.GET, uri);
        for (int i = 0; i < headers; i++) {
            request.headers().add("x-" + i, "v");
        }
        return request;
    }

    @Test
    void theHeaderCountFollowsTuneHttpMaxhdr() {
        assertEquals(RequestHeadCheck.ACCEPTED, RequestHeadCheck.check(request(HttpVersion.HTTP_1_1, "/", 4), 5));
        assertEquals(400, RequestHeadCheck.check(request(HttpVersion.HTTP_1_1, "/", 5), 5));
        assertEquals(RequestHeadCheck.ACCEPTED, RequestHeadCheck.check(request(HttpVersion.HTTP_1_1, "/", 200), 1000));
    }

    @Test
    void onlyTheExactVersionSpellingsAreHttp1() {
        // Netty shares its instances for the exact "HTTP/1.1" and "HTTP/1.0" only.
        assertEquals(400, RequestHeadCheck.check(request(HttpVersion.valueOf("http/1.1"), "/", 0), 101));
        assertEquals(400, RequestHeadCheck.check(request(HttpVersion.valueOf("Http/1.0"), "/", 0), 101));
        assertEquals(RequestHeadCheck.ACCEPTED, RequestHeadCheck.check(request(HttpVersion.valueOf("HTTP/1.0"), "/", 0), 101));
        // HAProxy takes other versions as 1.1.
        assertEquals(RequestHeadCheck.ACCEPTED, RequestHeadCheck.check(request(HttpVersion.valueOf("HTTP/1.3"), "/", 0), 101));
    }

    @Test
    void equalHostLinesBecomeOne() {
        HttpRequest request = request(HttpVersion.HTTP_1_1, "http://EXAMPLE.com:80/x", 0);
        request.headers().add("Host", "example.com").add("Host", "Example.COM");
        assertEquals(RequestHeadCheck.ACCEPTED, RequestHeadCheck.check(request, 101));
        assertEquals(1, request.headers().getAll("host").size());
        request.headers().add("Host", "other");
        assertEquals(400, RequestHeadCheck.check(request, 101));
    }

    @Test
    void hostLinesCompareFoldingAsciiOnly() {
        // HAProxy 2.6.12 observed: Host caf E9 twice, once as CAF E9, is one host (200); caf E9 and
        // caf C9 are two (400). Java's folding would take the byte C9 for E9.
        HttpRequest same = request(HttpVersion.HTTP_1_1, "/", 0);
        same.headers().add("Host", "caf\u00e9").add("Host", "CAF\u00e9");
        assertEquals(RequestHeadCheck.ACCEPTED, RequestHeadCheck.check(same, 101));
        HttpRequest two = request(HttpVersion.HTTP_1_1, "/", 0);
        two.headers().add("Host", "caf\u00e9").add("Host", "caf\u00c9");
        assertEquals(400, RequestHeadCheck.check(two, 101));
    }
}
