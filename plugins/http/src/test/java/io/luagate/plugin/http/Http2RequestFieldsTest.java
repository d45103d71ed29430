package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Http2RequestFields} on its own: what it finds as fields are added, what it tells of the
 * pseudo-headers, and the checked copy of headers another decoder made. The frames on a real
 * connection: {@link Http2RequestCheckTest}.
 */
class Http2RequestFieldsTest {

    private static Http2RequestFields fields(String... namesAndValues) {
        Http2RequestFields fields = new Http2RequestFields(8);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.add(new AsciiString(namesAndValues[i]), new AsciiString(namesAndValues[i + 1]));
        }
        return fields;
    }

    @Test
    void aSoundRequestHasNoProblem() {
        Http2RequestFields fields = fields(":method", "GET", ":scheme", "https", ":path", "/a?b", ":authority", "h",
                "accept", "*/*", "te", "trailers");
        assertNull(fields.problem());
        assertNull(fields.missingPseudoHeader());
        assertTrue(fields.hasPseudoHeaders());
        assertEquals("/a?b", fields.path().toString());
    }

    @Test
    void connectNeedsNeitherSchemeNorPath() {
        assertNull(fields(":method", "CONNECT", ":authority", "h:443").missingPseudoHeader());
        assertEquals("no :scheme or :path", fields(":method", "GET", ":authority", "h").missingPseudoHeader());
        assertEquals("no :scheme or :path", fields(":method", "GET", ":path", "/").missingPseudoHeader());
        assertEquals("no :method", fields(":scheme", "http", ":path", "/").missingPseudoHeader());
    }

    @Test
    void contentLengthIsAnsweredWithoutAScanOnlyWhenThereIsNone() {
        Http2RequestFields none = fields(":method", "GET", ":path", "/", "content-type", "a/b");
        assertEquals(List.of(), none.getAll(HttpHeaderNames.CONTENT_LENGTH));
        Http2RequestFields two = fields(":method", "POST", ":path", "/", "content-length", "3", "x-a", "1",
                "content-length", "3");
        assertEquals(List.of("3", "3"), two.getAll(HttpHeaderNames.CONTENT_LENGTH).stream().map(Object::toString).toList());
        // Once a field broke the rules the shortcut is off: the scan answers, whatever was seen.
        Http2RequestFields broken = fields(":method", "GET", "X-A", "1", "content-length", "0");
        assertEquals(1, broken.getAll(HttpHeaderNames.CONTENT_LENGTH).size());
    }

    @Test
    void theFirstProblemIsKept() {
        Http2RequestFields fields = fields(":method", "GET", "X-A", "1", "connection", "close");
        assertEquals("a field name that is not a lower-case token", fields.problem());
        assertEquals(3, fields.size(), "the fields are still added: HPACK decodes the whole block");
    }

    @Test
    void trailersWithoutPseudoHeaders() {
        Http2RequestFields trailers = fields("grpc-status", "0");
        assertNull(trailers.problem());
        assertFalse(trailers.hasPseudoHeaders());
        assertTrue(fields(":path", "/").hasPseudoHeaders());
    }

    @Test
    void strings() {
        Http2RequestFields fields = new Http2RequestFields(2);
        fields.add(":method", "GET");
        fields.add("x-a", "caf\u00e9");
        assertNull(fields.problem());
        fields.add("x-\u0100", "1");
        assertEquals("a field name that is not a lower-case token", fields.problem());
    }

    /** Headers another decoder made are checked by a copy (their order is Netty's: pseudo-headers first). */
    @Test
    void otherHeadersAreCheckedByACopy() {
        Http2Headers plain = new DefaultHttp2Headers(false);
        plain.add(":method", "GET");
        plain.add("Upper", "1");
        Http2RequestFields copy = Http2RequestFields.of(plain);
        assertEquals("a field name that is not a lower-case token", copy.problem());
        Http2RequestFields made = fields(":method", "GET");
        assertSame(made, Http2RequestFields.of(made));
    }

    /** What Netty's decoder and the bridge read of the fields, as a DefaultHttp2Headers gave it. */
    @Test
    void readsAsTheDefaultHeadersDidInTheOrderSentWithSetFieldsLast() {
        String[] sent = {":method", "POST", ":scheme", "https", ":path", "/p", ":authority", "h",
            "content-length", "5", "accept", "*/*", "cookie", "a=1", "x-many", "1", "x-many", "2", "x-many", "3",
            "x-many", "4", "x-many", "5", "x-many", "6", "x-many", "7", "cookie", "b=2"};
        Http2RequestFields fields = fields(sent);
        Http2Headers netty = new DefaultHttp2Headers(false);
        for (int i = 0; i < sent.length; i += 2) {
            netty.add(new AsciiString(sent[i]), new AsciiString(sent[i + 1]));
        }
        assertNull(fields.problem());
        assertEquals(netty, fields);
        assertEquals(15, fields.size(), "grown past its guess of 8");
        assertEquals("POST", fields.method().toString());
        assertEquals("/p", fields.path().toString());
        assertEquals("h", fields.authority().toString());
        assertEquals(netty.getAll("x-many"), fields.getAll("x-many"));
        // Netty's decoder normalizes content-length with setLong: the field moves behind the others.
        netty.setLong("content-length", 5);
        fields.setLong("content-length", 5);
        assertEquals(order(netty), order(fields));
        assertEquals("content-length=5", order(fields).get(14));
        assertEquals(netty, fields);
        assertThrows(UnsupportedOperationException.class, () -> fields.set("cookie", "c=3"),
                "setLong is the only mutator Netty's decoder calls after HPACK's add");
    }

    private static List<String> order(Http2Headers headers) {
        List<String> names = new ArrayList<>();
        headers.forEach(field -> names.add(field.getKey() + "=" + field.getValue()));
        return names;
    }
}
