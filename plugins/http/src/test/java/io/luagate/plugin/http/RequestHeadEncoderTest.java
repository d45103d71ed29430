package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The bytes {@link UpstreamCodec}'s request encoder writes, each case against the bytes Netty's
 * {@code HttpRequestEncoder} wrote for the same messages and against the bytes spelled out; and
 * the methods it queues for the response decoder.
 */
class RequestHeadEncoderTest {

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    private static String wire(EmbeddedChannel channel) {
        StringBuilder wire = new StringBuilder();
        Object out;
        while ((out = channel.readOutbound()) != null) {
            ByteBuf buf = (ByteBuf) out;
            wire.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return wire.toString();
    }

    /** What luagate's encoder writes, checked against what Netty's encoder writes for the same messages. */
    private static String encoded(Supplier<List<Object>> messages) {
        String wire = ours(messages);
        assertEquals(netty(messages), wire, "the bytes Netty's encoder wrote");
        return wire;
    }

    private static String netty(Supplier<List<Object>> messages) {
        EmbeddedChannel netty = new EmbeddedChannel(new HttpRequestEncoder());
        for (Object msg : messages.get()) {
            netty.write(msg);
        }
        netty.flush();
        String wire = wire(netty);
        assertFalse(netty.finishAndReleaseAll());
        return wire;
    }

    private static String ours(Supplier<List<Object>> messages) {
        ArrayDeque<HttpMethod> methods = new ArrayDeque<>();
        EmbeddedChannel ours = new EmbeddedChannel(new RequestHeadEncoder(methods));
        List<Object> sent = messages.get();
        for (Object msg : sent) {
            ours.write(msg);
        }
        ours.flush();
        String wire = wire(ours);
        assertFalse(ours.finishAndReleaseAll());
        assertEquals(sent.stream().filter(HttpRequest.class::isInstance).map(m -> ((HttpRequest) m).method()).toList(),
                List.copyOf(methods), "each request's method queued");
        return wire;
    }

    private static HttpRequest request(HttpMethod method, String uri, String... lines) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri, ParsedHttpHeaders.create());
        for (int i = 0; i < lines.length; i += 2) {
            request.headers().add(lines[i], lines[i + 1]);
        }
        return request;
    }

    private static DefaultFullHttpRequest full(HttpMethod method, String uri, String... lines) {
        HttpRequest head = request(method, uri, lines);
        return new DefaultFullHttpRequest(head.protocolVersion(), method, uri, Unpooled.EMPTY_BUFFER, head.headers(),
                EmptyHttpHeaders.INSTANCE);
    }

    @Test
    void aRequestWithoutABodyIsOneMessage() {
        assertEquals("GET /index.html?q=1 HTTP/1.1\r\nhost: example.com\r\nX-Forwarded-For: 127.0.0.1\r\nUser-Agent: \u00e9\r\n\r\n",
                encoded(() -> List.of(full(HttpMethod.GET, "/index.html?q=1", "host", "example.com", "X-Forwarded-For",
                        "127.0.0.1", "User-Agent", "\u00e9"))));
    }

    @Test
    void targetsAreWrittenAsNettyWroteThemButByteForByte() {
        assertEquals("GET / HTTP/1.1\r\n\r\n", encoded(() -> List.of(full(HttpMethod.GET, ""))));
        assertEquals("GET http://example.com/ HTTP/1.1\r\n\r\n", encoded(() -> List.of(full(HttpMethod.GET, "http://example.com"))));
        assertEquals("GET http://example.com/?a=/b HTTP/1.1\r\n\r\n",
                encoded(() -> List.of(full(HttpMethod.GET, "http://example.com?a=/b"))));
        assertEquals("GET http://example.com/x?a HTTP/1.1\r\n\r\n", encoded(() -> List.of(full(HttpMethod.GET, "http://example.com/x?a"))));
        assertEquals("OPTIONS * HTTP/1.1\r\n\r\n", encoded(() -> List.of(full(HttpMethod.OPTIONS, "*"))));
        assertEquals("CONNECT example.com:443 HTTP/1.1\r\n\r\n", encoded(() -> List.of(full(HttpMethod.CONNECT, "example.com:443"))));
        Supplier<List<Object>> utf8Path = () -> List.of(full(HttpMethod.GET, "/caf\u00c3\u00a9"));
        assertEquals("GET /caf\u00c3\u00a9 HTTP/1.1\r\n\r\n", ours(utf8Path),
                "a target's bytes above 0x7f (a UTF-8 path, read as ISO-8859-1) leave as they came");
        assertEquals("GET /caf\u00c3\u0083\u00c2\u00a9 HTTP/1.1\r\n\r\n", netty(utf8Path), "where Netty's encoded them again");
        assertEquals("GET /caf\u00e9 HTTP/1.1\r\n\r\n", ours(() -> List.of(full(HttpMethod.GET, "/caf\u00e9"))),
                "one byte per character, as the header lines");
        assertEquals("PURGE /a HTTP/1.0\r\n\r\n", encoded(() -> List.of(new DefaultFullHttpRequest(HttpVersion.HTTP_1_0,
                HttpMethod.valueOf("PURGE"), "/a"))));
    }

    @Test
    void bodiesAreFramedAsTheHeadSays() {
        assertEquals("POST /p HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", encoded(() -> List.of(
                request(HttpMethod.POST, "/p", "Content-Length", "5"), new DefaultHttpContent(bytes("hel")),
                new DefaultLastHttpContent(bytes("lo")))));
        assertEquals("POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n", encoded(() -> List.of(
                request(HttpMethod.POST, "/p", "Transfer-Encoding", "chunked"), new DefaultHttpContent(bytes("hel")),
                new DefaultHttpContent(bytes("lo")), LastHttpContent.EMPTY_LAST_CONTENT)));
        assertEquals("PUT /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\nX-Sum: 1\r\n\r\n"
                + "GET /next HTTP/1.1\r\n\r\n", encoded(() -> {
                    DefaultLastHttpContent last = new DefaultLastHttpContent(bytes("ab"));
                    last.trailingHeaders().add("X-Sum", "1");
                    return List.of(request(HttpMethod.PUT, "/p", "Transfer-Encoding", "chunked"), last, full(HttpMethod.GET, "/next"));
                }));
        assertEquals("HEAD /h HTTP/1.1\r\n\r\nPOST /q HTTP/1.1\r\n\r\nraw", encoded(() -> List.of(full(HttpMethod.HEAD, "/h"),
                request(HttpMethod.POST, "/q"), new DefaultLastHttpContent(bytes("raw")))));
    }
}
