package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The header maps of parsed heads skip Netty's name check only for the names the parser adds:
 * a name added afterwards (a rule, a filter, Lua) is still refused unless it is a token, as in
 * Netty's own map, and a head the parser refuses leaves the map checking again.
 */
class ParsedHttpHeadersTest {

    private static ByteBuf bytes(String head) {
        return Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1);
    }

    private static HttpRequest request(String head) {
        ByteBuf in = bytes(head);
        try {
            return RequestHeadParser.parse(in, 0, in.readableBytes());
        } finally {
            in.release();
        }
    }

    @Test
    void requestHeadersKeepTheirNamesAndValuesAndStillCheckLaterNames() {
        HttpRequest request = request("GET /a HTTP/1.1\r\nHost: x\r\nX-Odd~Name!: 1\r\nAccept: */*\r\n\r\n");
        HttpHeaders headers = request.headers();
        assertInstanceOf(ParsedHttpHeaders.class, headers);
        assertEquals("x", headers.get("host"));
        assertEquals("1", headers.get("x-odd~name!"));
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, String> header : headers) {
            names.add(header.getKey());
        }
        assertEquals(List.of("Host", "X-Odd~Name!", "Accept"), names);
        assertThrows(IllegalArgumentException.class, () -> headers.add("bad name", "v"));
        assertThrows(IllegalArgumentException.class, () -> headers.set("bad:name", "v"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("", "v"));
        // Values are checked as before, during the parse and after it.
        assertThrows(IllegalArgumentException.class, () -> headers.add("X-Ok", "a\r\nb"));
        headers.add("X-Ok", "fine");
        assertEquals("fine", headers.get("x-ok"));
    }

    @Test
    void responseHeadersAreParsedMapsThatCheckLaterNames() {
        ByteBuf in = bytes("HTTP/1.1 200 OK\r\nServer: s\r\nContent-Length: 0\r\n\r\n");
        HttpResponse response;
        try {
            response = ResponseHeadParser.parse(in, 0, in.readableBytes());
        } finally {
            in.release();
        }
        assertInstanceOf(ParsedHttpHeaders.class, response.headers());
        assertEquals("s", response.headers().get("server"));
        assertThrows(IllegalArgumentException.class, () -> response.headers().add("a b", "v"));
    }

    @Test
    void aRefusedHeadLeavesTheMapChecking() {
        ParsedHttpHeaders headers = ParsedHttpHeaders.create();
        byte[] head = "A: 1\r\n\tfolded\r\nbad line\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(IllegalArgumentException.class, () -> RequestHeadParser.headers(head, 0, head.length, headers));
        assertThrows(IllegalArgumentException.class, () -> headers.add("still checked", "v"));
    }

    @Test
    void aValueNettyRefusesIsStillRefusedWhileParsing() {
        ParsedHttpHeaders headers = ParsedHttpHeaders.create();
        byte[] head = "A: x\u0000y\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(IllegalArgumentException.class, () -> RequestHeadParser.headers(head, 0, head.length, headers));
        assertThrows(IllegalArgumentException.class, () -> headers.add("still checked", "v"));
    }

    /** Eight buckets for forty lines: each look-up finds its own lines, in their order, and the map keeps the wire's order. */
    @Test
    void moreLinesThanBucketsKeepTheirOrderAndAreEachFound() {
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\n");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String name = "X-H" + (i % 20);
            head.append(i % 2 == 0 ? name : name.toLowerCase()).append(": v").append(i).append("\r\n");
            expected.add((i % 2 == 0 ? name : name.toLowerCase()) + "=v" + i);
        }
        HttpHeaders headers = request(head.append("\r\n").toString()).headers();
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> header : headers) {
            lines.add(header.getKey() + "=" + header.getValue());
        }
        assertEquals(expected, lines);
        for (int i = 0; i < 20; i++) {
            assertEquals(List.of("v" + i, "v" + (i + 20)), headers.getAll("x-h" + i));
        }
        headers.remove("X-H7");
        assertEquals(38, headers.size());
        assertEquals(List.of(), headers.getAll("x-h7"));
        assertEquals(List.of("v8", "v28"), headers.getAll("X-H8"));
    }
}
