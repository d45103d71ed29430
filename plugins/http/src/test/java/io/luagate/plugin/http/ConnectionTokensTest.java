package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionTokensTest {

    private static HttpHeaders connection(String... lines) {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.add("x-before", "1");
        for (String line : lines) {
            headers.add(HttpHeaderNames.CONNECTION, line);
        }
        return headers;
    }

    @Test
    void optionsAreRemovedAndReported() {
        HttpHeaders headers = connection("Keep-Alive, upgrade", "x-a ,\tCLOSE");
        int options = ConnectionTokens.clean(headers);
        assertEquals(ConnectionTokens.CLOSE | ConnectionTokens.KEEP_ALIVE, options);
        // As HAProxy keeps a word: from its first character to its comma.
        assertEquals(List.of("upgrade", "x-a "), headers.getAll(HttpHeaderNames.CONNECTION));
        assertEquals("1", headers.get("x-before"));
    }

    @Test
    void aLineOfOptionsOnlyGoesAway() {
        HttpHeaders headers = connection("keep-alive");
        assertEquals(ConnectionTokens.KEEP_ALIVE, ConnectionTokens.clean(headers));
        assertFalse(headers.contains(HttpHeaderNames.CONNECTION));
    }

    @Test
    void linesWithoutOptionsStayAsTheyCame() {
        HttpHeaders headers = connection("upgrade ,  x-b");
        assertEquals(0, ConnectionTokens.clean(headers));
        assertEquals(List.of("upgrade ,  x-b"), headers.getAll(HttpHeaderNames.CONNECTION));
        String line = "x-a, x-b";
        assertSame(line, ConnectionTokens.clean(line));
    }

    @Test
    void anEmptyLineIsDropped() {
        HttpHeaders headers = connection("", "upgrade");
        assertEquals(0, ConnectionTokens.clean(headers));
        assertEquals(List.of("upgrade"), headers.getAll(HttpHeaderNames.CONNECTION));
    }

    @Test
    void wordsAreWholeTokensOnly() {
        // "closed" and "keep-alive-ish" are header names, not options; a word ends at its comma only.
        assertEquals(0, ConnectionTokens.options("closed, keep-alive-ish, clo se"));
        assertEquals(ConnectionTokens.CLOSE, ConnectionTokens.options("\tclose\t"));
    }

    @Test
    void keepAliveFollowsTheVersionAndTheOptions() {
        assertTrue(ConnectionTokens.keepsAlive(HttpVersion.HTTP_1_1, 0));
        assertTrue(ConnectionTokens.keepsAlive(HttpVersion.HTTP_1_1, ConnectionTokens.KEEP_ALIVE));
        assertFalse(ConnectionTokens.keepsAlive(HttpVersion.HTTP_1_1, ConnectionTokens.CLOSE));
        assertFalse(ConnectionTokens.keepsAlive(HttpVersion.HTTP_1_0, 0));
        assertTrue(ConnectionTokens.keepsAlive(HttpVersion.HTTP_1_0, ConnectionTokens.KEEP_ALIVE));
        // Both said: close wins, as in HAProxy and Netty.
        assertFalse(ConnectionTokens.keepsAlive(HttpVersion.HTTP_1_0, ConnectionTokens.CLOSE | ConnectionTokens.KEEP_ALIVE));
        assertTrue(ConnectionTokens.keepsAlive(Http2StreamBridge.HTTP_2, 0));
    }
}
