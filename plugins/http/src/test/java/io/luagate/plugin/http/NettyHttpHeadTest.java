package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class NettyHttpHeadTest {

    /** hdr(x) and HAProxy's header captures take the last line of a repeated header. */
    @Test
    void lastHeaderIsTheLastLineReceived() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        request.headers().add("x", "first").add("y", "a").add("X", "second").add("x", "third");
        NettyHttpHead head = new NettyHttpHead(request);
        assertEquals("third", head.lastHeader("x"));
        assertEquals("a", head.lastHeader("Y"));
        assertNull(head.lastHeader("z"));
        assertEquals(List.of("first", "second", "third"), head.headers("x"));
        head.setHeader("x", "only");
        assertEquals("only", head.lastHeader("x"));
    }
}
