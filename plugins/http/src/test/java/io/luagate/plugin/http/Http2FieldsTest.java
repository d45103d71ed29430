package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Http2Fields}: the response's field section HPACK reads straight from an array
 * encodes to the very bytes its {@code DefaultHttp2Headers} copy did, and reads as one.
 */
class Http2FieldsTest {

    private static Http2Fields head(String status, String... fields) {
        Http2Fields head = Http2Fields.head(new AsciiString(status), fields.length / 2);
        for (int i = 0; i < fields.length; i += 2) {
            head.append(fields[i], fields[i + 1]);
        }
        return head;
    }

    private static Http2Headers copy(String status, String... fields) {
        Http2Headers copy = new DefaultHttp2Headers(false).status(status);
        for (int i = 0; i < fields.length; i += 2) {
            copy.add(fields[i], fields[i + 1]);
        }
        return copy;
    }

    @Test
    void hpackEncodesItByteForByteAsTheCopyAcrossTheDynamicTable() throws Exception {
        String[][] heads = {
            {"200", "content-type", "text/plain", "content-length", "100", "date", "Mon, 07 Dec 2026 21:00:00 GMT",
                "server", "nginx/1.22.1", "set-cookie", "a=1", "set-cookie", "b=2"},
            {"200", "content-type", "text/plain", "content-length", "100", "date", "Mon, 07 Dec 2026 21:00:01 GMT",
                "server", "nginx/1.22.1", "x-long", "v".repeat(300)},
            {"404", "content-length", "0", "x-\u00e9t\u00e9", "caf\u00e9"},
        };
        DefaultHttp2HeadersEncoder viewEncoder = new DefaultHttp2HeadersEncoder();
        DefaultHttp2HeadersEncoder copyEncoder = new DefaultHttp2HeadersEncoder();
        DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
        for (String[] h : heads) {
            String[] fields = Arrays.copyOfRange(h, 1, h.length);
            ByteBuf fromView = Unpooled.buffer();
            ByteBuf fromCopy = Unpooled.buffer();
            try {
                viewEncoder.encodeHeaders(3, head(h[0], fields), fromView);
                copyEncoder.encodeHeaders(3, copy(h[0], fields), fromCopy);
                assertEquals(ByteBufUtil.hexDump(fromCopy), ByteBufUtil.hexDump(fromView), "the same HPACK block");
                Http2Headers decoded = decoder.decodeHeaders(3, fromView);
                assertEquals(copy(h[0], fields), decoded);
                List<String> order = new ArrayList<>();
                for (Map.Entry<CharSequence, CharSequence> field : decoded) {
                    order.add(field.getKey().toString());
                }
                List<String> expected = new ArrayList<>(List.of(":status"));
                for (int i = 0; i < fields.length; i += 2) {
                    expected.add(fields[i]);
                }
                assertEquals(expected, order);
            } finally {
                fromView.release();
                fromCopy.release();
            }
        }
    }

    @Test
    void readsAsAHeadersMapWithCaseSensitiveNames() {
        Http2Fields head = head("204", "set-cookie", "a=1", "x-n", "42", "set-cookie", "b=2");
        assertEquals("204", head.status().toString());
        assertNull(head.path());
        assertNull(head.method());
        assertEquals(4, head.size());
        assertFalse(head.isEmpty());
        assertEquals("a=1", head.get("set-cookie"));
        assertNull(head.get("Set-Cookie"), "HTTP/2 names are lower-case: look-ups are case-sensitive, as DefaultHttp2Headers'");
        assertEquals("d", head.get("absent", "d"));
        assertEquals(List.of("a=1", "b=2"), head.getAll("set-cookie"));
        assertTrue(head.contains("x-n"));
        assertTrue(head.contains("set-cookie", "b=2"));
        assertFalse(head.contains("set-cookie", "B=2"));
        assertTrue(head.contains("set-cookie", "B=2", true));
        assertTrue(head.containsInt("x-n", 42));
        assertEquals(42, head.getInt("x-n"));
        assertEquals(7, head.getInt("absent", 7));
        assertEquals(List.of(":status", "set-cookie", "x-n"), head.names().stream().map(CharSequence::toString).toList());
        assertEquals(copy("204", "set-cookie", "a=1", "x-n", "42", "set-cookie", "b=2"), head);
        assertFalse(head.equals(copy("204", "set-cookie", "b=2", "x-n", "42", "set-cookie", "a=1")), "order of repeats counts");
        assertTrue(head.toString().contains("set-cookie: b=2"), head::toString);

        Http2Fields trailers = Http2Fields.trailers(0);
        assertTrue(trailers.isEmpty());
        assertNull(trailers.status());
        assertFalse(trailers.iterator().hasNext());
    }

    @Test
    void equalSectionsHashEqualWhateverTheOrderOfTheirNamesAndTheTypeOfTheirValues() {
        Http2Fields one = head("200", "set-cookie", "a=1", "x-n", "42", "set-cookie", "b=2");
        Http2Fields other = Http2Fields.head("200", 3);
        other.append(new AsciiString("x-n"), new AsciiString("42"));
        other.append("set-cookie", new AsciiString("a=1"));
        other.append(new AsciiString("set-cookie"), "b=2");
        assertEquals(one, other, "the names' order does not count, a name's values' order does");
        assertEquals(other, one);
        assertEquals(one.hashCode(), other.hashCode(), "equal objects hash equal");

        Http2Fields swapped = head("200", "set-cookie", "b=2", "x-n", "42", "set-cookie", "a=1");
        assertNotEquals(one, swapped);
        assertNotEquals(one.hashCode(), swapped.hashCode(), "a name's values in another order hash otherwise");
        assertNotEquals(one.hashCode(), head("200", "set-cookie", "a=1", "x-n", "43", "set-cookie", "b=2").hashCode());
    }

    @Test
    void everyMutatorThrows() {
        Http2Fields head = head("200", "a", "1");
        assertThrows(UnsupportedOperationException.class, () -> head.add("b", "2"));
        assertThrows(UnsupportedOperationException.class, () -> head.set("a", "2"));
        assertThrows(UnsupportedOperationException.class, () -> head.remove("a"));
        assertThrows(UnsupportedOperationException.class, head::clear);
        assertThrows(UnsupportedOperationException.class, () -> head.getAndRemove("a"));
        assertThrows(UnsupportedOperationException.class, () -> head.getIntAndRemove("a"));
        assertThrows(UnsupportedOperationException.class, () -> head.status("500"));
        assertThrows(UnsupportedOperationException.class, () -> head.iterator().next().setValue("x"));
        assertEquals(2, head.size());
    }
}
