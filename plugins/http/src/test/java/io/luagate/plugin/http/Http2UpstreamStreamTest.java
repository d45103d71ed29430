package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The translation of one upstream HTTP/2 stream to and from the exchange's HTTP/1.1 messages. */
class Http2UpstreamStreamTest {

    private static EmbeddedChannel stream(boolean secure) {
        return new EmbeddedChannel(new Http2UpstreamStream(secure, 64 * 1024));
    }

    private static HttpRequest get(String uri, String... headers) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    @Test
    void aRequestWithoutBodyIsOneHeadersFrameWithoutConnectionSpecificFields() {
        EmbeddedChannel channel = stream(false);
        channel.write(get("/p?q=1", "Host", "app.example", "Connection", "keep-alive, X-Hop", "X-Hop", "1",
                "Keep-Alive", "5", "Proxy-Connection", "x", "Upgrade", "h2c", "Transfer-Encoding", "chunked",
                "TE", "gzip, trailers", "X-Kept", "yes"));
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        Http2HeadersFrame frame = channel.readOutbound();
        assertTrue(frame.isEndStream());
        Http2Headers headers = frame.headers();
        assertEquals("GET", headers.method().toString());
        assertEquals("http", headers.scheme().toString());
        assertEquals("app.example", headers.authority().toString());
        assertEquals("/p?q=1", headers.path().toString());
        assertEquals("trailers", headers.get("te").toString());
        assertEquals("yes", headers.get("x-kept").toString());
        for (String gone : new String[] {"host", "connection", "x-hop", "keep-alive", "proxy-connection", "upgrade",
                "transfer-encoding"}) {
            assertNull(headers.get(gone), gone);
        }
        assertNull(channel.readOutbound());
        assertFalse(channel.finish());
    }

    @Test
    void anAbsoluteTargetGivesSchemeAuthorityAndPath() {
        EmbeddedChannel channel = stream(true);
        channel.writeAndFlush(get("http://origin.example:8080?x=1", "Host", "ignored.example"));
        Http2HeadersFrame frame = channel.readOutbound();
        assertFalse(frame.isEndStream(), "flushed before its end: the body may follow");
        assertEquals("http", frame.headers().scheme().toString());
        assertEquals("origin.example:8080", frame.headers().authority().toString());
        assertEquals("/?x=1", frame.headers().path().toString());
        channel.writeAndFlush(get("/secure"));
        Http2HeadersFrame secure = channel.readOutbound();
        assertEquals("https", secure.headers().scheme().toString(), "the scheme of a TLS connection");
        channel.finishAndReleaseAll();
    }

    @Test
    void bodyPiecesBecomeDataAndTrailersALastHeadersFrame() {
        EmbeddedChannel channel = stream(false);
        HttpRequest post = get("/up", "Host", "h", "Transfer-Encoding", "chunked");
        post.setMethod(HttpMethod.POST);
        channel.writeAndFlush(post);
        channel.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII)));
        LastHttpContent last = new DefaultLastHttpContent(Unpooled.copiedBuffer("de", StandardCharsets.US_ASCII));
        last.trailingHeaders().add("X-Sum", "5");
        channel.writeAndFlush(last);
        Http2HeadersFrame head = channel.readOutbound();
        assertFalse(head.isEndStream());
        Http2DataFrame first = channel.readOutbound();
        assertEquals("abc", first.content().toString(StandardCharsets.US_ASCII));
        assertFalse(first.isEndStream());
        first.release();
        Http2DataFrame second = channel.readOutbound();
        assertEquals("de", second.content().toString(StandardCharsets.US_ASCII));
        assertFalse(second.isEndStream(), "the trailers end the stream");
        second.release();
        Http2HeadersFrame trailers = channel.readOutbound();
        assertTrue(trailers.isEndStream());
        assertEquals("5", trailers.headers().get("x-sum").toString());
        assertFalse(channel.finish());
    }

    @Test
    void aResponseWithoutLengthIsChunkedAndItsTrailersEndIt() {
        EmbeddedChannel channel = stream(false);
        channel.writeAndFlush(get("/", "Host", "h"));
        channel.releaseOutbound();
        channel.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                .add("set-cookie", "a=1").add("cookie", "x=1").add("cookie", "y=2")));
        channel.writeInbound(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("body", StandardCharsets.US_ASCII)));
        channel.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().add("grpc-status", "0"), true));
        HttpResponse response = channel.readInbound();
        assertEquals(200, response.status().code());
        assertEquals(HttpVersion.HTTP_1_1, response.protocolVersion());
        assertEquals("chunked", response.headers().get("transfer-encoding"));
        assertEquals("x=1; y=2", response.headers().get("cookie"), "cookie crumbs joined (RFC 9113 section 8.2.3)");
        assertEquals("a=1", response.headers().get("set-cookie"));
        HttpContent body = channel.readInbound();
        assertFalse(body instanceof LastHttpContent);
        assertEquals("body", body.content().toString(StandardCharsets.US_ASCII));
        body.release();
        LastHttpContent end = channel.readInbound();
        assertEquals("0", end.trailingHeaders().get("grpc-status"));
        assertFalse(channel.finish());
    }

    @Test
    void aResponseEndedByItsHeadersHasLengthZeroUnlessBodiless() {
        EmbeddedChannel channel = stream(false);
        channel.writeAndFlush(get("/", "Host", "h"));
        channel.releaseOutbound();
        channel.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200").add("grpc-status", "5"), true));
        HttpResponse response = channel.readInbound();
        assertEquals("0", response.headers().get("content-length"));
        assertEquals("5", response.headers().get("grpc-status"));
        assertTrue(channel.readInbound() instanceof LastHttpContent);
        channel.finishAndReleaseAll();

        EmbeddedChannel head = stream(false);
        HttpRequest request = get("/", "Host", "h");
        request.setMethod(HttpMethod.HEAD);
        head.writeAndFlush(request);
        head.releaseOutbound();
        head.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200"), true));
        HttpResponse toHead = head.readInbound();
        assertNull(toHead.headers().get("content-length"), "a response to HEAD tells nothing of a length");
        head.finishAndReleaseAll();
    }

    @Test
    void fieldsHttp11CannotCarryFailTheResponse() {
        for (Http2Headers bad : new Http2Headers[] {
                // Unvalidated, as a peer may send them: the codec is the last line before an HTTP/1.1 client.
                new DefaultHttp2Headers(false).status("200").add("x-injected", "a\r\nx-evil: 1"),
                new DefaultHttp2Headers(false).status("200").add("connection", "close"),
                new DefaultHttp2Headers(false).status("101"),
                new DefaultHttp2Headers(false).status("2x0")}) {
            EmbeddedChannel channel = stream(false);
            channel.writeAndFlush(get("/", "Host", "h"));
            channel.releaseOutbound();
            channel.writeInbound(new DefaultHttp2HeadersFrame(bad));
            HttpResponse response = channel.readInbound();
            assertTrue(response.decoderResult().isFailure(), bad::toString);
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aStreamTheServerDidNotProcessIsRefused() {
        EmbeddedChannel refused = stream(false);
        refused.writeAndFlush(get("/", "Host", "h"));
        refused.releaseOutbound();
        refused.pipeline().fireUserEventTriggered(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM));
        assertTrue(Http2UpstreamStream.refused(refused));
        refused.finishAndReleaseAll();

        EmbeddedChannel goneAway = stream(false);
        goneAway.writeAndFlush(get("/", "Host", "h"));
        goneAway.releaseOutbound();
        goneAway.pipeline().fireUserEventTriggered(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
        assertTrue(Http2UpstreamStream.refused(goneAway));
        goneAway.finishAndReleaseAll();

        EmbeddedChannel answered = stream(false);
        answered.writeAndFlush(get("/", "Host", "h"));
        answered.releaseOutbound();
        answered.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")));
        answered.pipeline().fireUserEventTriggered(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM));
        assertFalse(Http2UpstreamStream.refused(answered), "a stream that answered was processed");
        answered.finishAndReleaseAll();
    }
}
