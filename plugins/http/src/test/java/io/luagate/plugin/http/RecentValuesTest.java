package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A value read again comes back as the String made the first time, and never as another value's:
 * whatever shares a slot, every String the table returns has exactly the bytes asked for.
 */
class RecentValuesTest {

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aValueSeenAgainIsTheSameStringAndHasItsBytes() {
        RecentValues recent = new RecentValues();
        byte[] head = latin1("xxServer: nginx/1.22.1yy");
        String first = recent.string(head, 10, 12);
        assertEquals("nginx/1.22.1", first);
        byte[] other = latin1("nginx/1.22.1");
        assertSame(first, recent.string(other, 0, other.length));
        // The same bytes one shorter or one longer are other values.
        assertEquals("nginx/1.22.", recent.string(other, 0, other.length - 1));
        assertEquals("nginx/1.22.1y", recent.string(head, 10, 13));
    }

    @Test
    void bytesAboveAsciiReadAsIso88591() {
        RecentValues recent = new RecentValues();
        byte[] b = {'a', (byte) 0xe9, (byte) 0xff, (byte) 0x80, 'z'};
        String s = recent.string(b, 0, b.length);
        assertEquals(new String(b, StandardCharsets.ISO_8859_1), s);
        assertSame(s, recent.string(b.clone(), 0, b.length));
        // A char that differs only in its high bit is another value.
        byte[] c = {'a', (byte) 0x69, (byte) 0xff, (byte) 0x80, 'z'};
        assertEquals(new String(c, StandardCharsets.ISO_8859_1), recent.string(c, 0, c.length));
    }

    @Test
    void longValuesAreNotKeptButReadWhole() {
        RecentValues recent = new RecentValues();
        byte[] b = latin1("v".repeat(RecentValues.LONGEST + 1));
        String s = recent.string(b, 0, b.length);
        assertEquals("v".repeat(RecentValues.LONGEST + 1), s);
        assertNotSame(s, recent.string(b, 0, b.length));
        byte[] kept = latin1("v".repeat(RecentValues.LONGEST));
        assertSame(recent.string(kept, 0, kept.length), recent.string(kept, 0, kept.length));
    }

    /**
     * {@code 100} and {@code 127.0.0.1:18090} fall on one slot by their hash (the benchmark's
     * {@code Content-Length} and {@code Host}): read in turn, each is still the String made first,
     * where a table of one String per slot made both anew every time.
     */
    @Test
    void twoValuesOfOneSlotReadInTurnAreBothKept() {
        RecentValues recent = new RecentValues();
        byte[] length = latin1("100");
        byte[] host = latin1("127.0.0.1:18090");
        String firstLength = recent.string(length, 0, length.length);
        String firstHost = recent.string(host, 0, host.length);
        for (int i = 0; i < 10; i++) {
            assertSame(firstLength, recent.string(length.clone(), 0, length.length));
            assertSame(firstHost, recent.string(host.clone(), 0, host.length));
        }
        // A third value of the set ("v4") takes the first way and pushes the one in the second out.
        byte[] third = latin1("v4");
        String firstThird = recent.string(third, 0, third.length);
        assertEquals("v4", firstThird);
        assertSame(firstThird, recent.string(third.clone(), 0, third.length));
        assertSame(firstHost, recent.string(host.clone(), 0, host.length), "the first way's, moved to the second");
        String lengthAgain = recent.string(length.clone(), 0, length.length);
        assertEquals("100", lengthAgain);
        assertNotSame(firstLength, lengthAgain, "the one pushed out is made anew");
    }

    /** Far more values than slots, short ones over a small alphabet: slots are shared and replaced all the time. */
    @Test
    void manyValuesSharingSlotsAlwaysComeBackAsTheirOwnBytes() {
        RecentValues recent = new RecentValues();
        Random random = new Random(14);
        byte[] alphabet = latin1("ab /:0\u00e9");
        for (int n = 0; n < 200_000; n++) {
            int length = random.nextInt(6);
            int offset = random.nextInt(3);
            byte[] b = new byte[offset + length + 2];
            for (int i = 0; i < b.length; i++) {
                b[i] = alphabet[random.nextInt(alphabet.length)];
            }
            String expected = new String(b, offset, length, StandardCharsets.ISO_8859_1);
            assertEquals(expected, recent.string(b, offset, length));
        }
    }

    @Test
    void credentialsAreNeverKept() {
        String head = "GET / HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer abc\r\nproxy-authorization: Basic eA==\r\n"
                + "Cookie: s=1\r\nSet-Cookie: t=2\r\n\r\n";
        HttpRequest one = parse(head);
        HttpRequest two = parse(head);
        assertSame(one.headers().get("host"), two.headers().get("host"));
        for (String name : new String[] {"authorization", "proxy-authorization", "cookie", "set-cookie"}) {
            assertEquals(one.headers().get(name), two.headers().get(name));
            assertNotSame(one.headers().get(name), two.headers().get(name), name + " is made anew for each head");
        }
    }

    @Test
    void theParserGivesRepeatedTargetsAndValuesAsOneStringInTheirOrder() {
        String head = "GET /index.html HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\nX-Empty:\r\nX-Id: 1\r\n\r\n";
        HttpRequest one = parse(head);
        HttpRequest two = parse(head.replace("X-Id: 1", "X-Id: 2"));
        assertEquals("/index.html", two.uri());
        assertSame(one.uri(), two.uri());
        assertSame(one.headers().get("host"), two.headers().get("host"));
        assertSame(one.headers().get("accept"), two.headers().get("accept"));
        assertEquals("1", one.headers().get("x-id"));
        assertEquals("2", two.headers().get("x-id"));
        assertEquals(List.of("Host=example.com", "Accept=*/*", "X-Empty=", "X-Id=2"), lines(two));

        String response = "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 100\r\nConnection: keep-alive\r\n\r\n";
        HttpResponse a = parseResponse(response);
        HttpResponse b = parseResponse(response);
        assertSame(a.headers().get("server"), b.headers().get("server"));
        assertEquals(List.of("Server=nginx", "Content-Length=100", "Connection=keep-alive"), lines(b));
    }

    private static List<String> lines(io.netty.handler.codec.http.HttpMessage message) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> line : message.headers()) {
            lines.add(line.getKey() + "=" + line.getValue());
        }
        return lines;
    }

    private static HttpRequest parse(String head) {
        ByteBuf in = Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1);
        try {
            return RequestHeadParser.parse(in, 0, in.readableBytes());
        } finally {
            in.release();
        }
    }

    private static HttpResponse parseResponse(String head) {
        ByteBuf in = Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1);
        try {
            return ResponseHeadParser.parse(in, 0, in.readableBytes());
        } finally {
            in.release();
        }
    }
}
