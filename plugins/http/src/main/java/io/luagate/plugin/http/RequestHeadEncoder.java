package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.util.Queue;

/**
 * The HTTP/1 requests of an upstream connection, as Netty's {@code HttpRequestEncoder} wrote them
 * ({@code /} for an empty target and after the authority of an absolute target that has no path;
 * the body framed as the head says), but the target byte for byte: luagate's strings hold one byte
 * per character (the parser, Lua and the fetches read bytes as ISO-8859-1), so a target a rule or a
 * script set from bytes above 0x7F (a UTF-8 path in Lua, a header's obs-text) leaves as those bytes,
 * as HAProxy sends them, where Netty's UTF-8 encoding sent each of them as two. Each request's method is queued for the
 * response decoder, which reads a response to HEAD as bodiless.
 */
final class RequestHeadEncoder extends Http1MessageEncoder<HttpRequest> {

    private final Queue<HttpMethod> methods;

    /** @param methods where the method of each request sent is added */
    RequestHeadEncoder(Queue<HttpMethod> methods) {
        this.methods = methods;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpRequest request) {
            methods.add(request.method());
        }
        super.write(ctx, msg, promise);
    }

    @Override
    boolean accepts(Object msg) {
        return msg instanceof HttpMessage ? !(msg instanceof HttpResponse)
                : msg instanceof HttpContent || msg instanceof ByteBuf || msg instanceof FileRegion;
    }

    @Override
    void startLine(HeadBytes head, HttpRequest request) {
        head.chars(request.method().asciiName());
        String uri = request.uri();
        if (uri.isEmpty()) {
            head.write(' ').write('/').write(' ');
        } else {
            String target = uri;
            boolean slashAfter = false;
            int start = uri.indexOf("://");
            if (start != -1 && uri.charAt(0) != '/') {
                start += 3;
                int query = uri.indexOf('?', start);
                if (query == -1) {
                    slashAfter = uri.lastIndexOf('/') < start;
                } else if (uri.lastIndexOf('/', query) < start) {
                    target = new StringBuilder(uri).insert(query, '/').toString();
                }
            }
            head.write(' ').chars(target);
            if (slashAfter) {
                head.write('/');
            }
            head.write(' ');
        }
        head.chars(request.protocolVersion().text()).crlf();
    }

    @Override
    int framingBeforeHeaders(HttpRequest request) {
        return FROM_HEADERS;
    }
}
