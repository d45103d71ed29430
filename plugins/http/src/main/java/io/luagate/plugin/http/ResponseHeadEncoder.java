package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;

/**
 * The HTTP/1 responses of a client connection, as Netty's {@code HttpResponseEncoder} wrote them
 * with luagate's changes: a server's status digits as it wrote them ({@link VerbatimStatus}); no
 * body for a response to HEAD, nor (as Netty) for 1xx but a 101 without {@code
 * Sec-WebSocket-Version}, 204, 205 and 304, whose Content-Length and Transfer-Encoding lines go
 * (1xx, 204) or become {@code Content-Length: 0} (205); a 2xx to CONNECT without
 * Transfer-Encoding (RFC 9110 section 9.3.6), its body framed as the line said.
 */
abstract class ResponseHeadEncoder extends Http1MessageEncoder<HttpResponse> {

    /** The method of the oldest request not answered yet, now answered; {@code null} if none. */
    abstract HttpMethod answered();

    @Override
    boolean accepts(Object msg) {
        return msg instanceof HttpMessage ? !(msg instanceof HttpRequest)
                : msg instanceof HttpContent || msg instanceof ByteBuf || msg instanceof FileRegion;
    }

    @Override
    void startLine(HeadBytes head, HttpResponse response) {
        head.chars(response.protocolVersion().text()).write(' ');
        HttpResponseStatus status = response.status();
        if (status instanceof VerbatimStatus verbatim) {
            head.chars(verbatim.digits());
        } else {
            head.decimal(status.code());
        }
        head.write(' ').chars(status.reasonPhrase()).crlf();
    }

    @Override
    int framingBeforeHeaders(HttpResponse response) {
        HttpMethod method = answered();
        HttpResponseStatus status = response.status();
        int code = status.code();
        HttpHeaders headers = response.headers();
        if (HttpMethod.HEAD.equals(method) || bodiless(response)) {
            if (status.codeClass() == HttpStatusClass.INFORMATIONAL || code == 204) {
                headers.remove(HttpHeaderNames.CONTENT_LENGTH);
                headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
            } else if (code == 205) {
                headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
                headers.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            }
            return NONE;
        }
        if (HttpMethod.CONNECT.equals(method) && status.codeClass() == HttpStatusClass.SUCCESS) {
            // The framing as the line said, then the line goes: a tunnel's 2xx has no body to frame.
            int framing = HttpUtil.isTransferEncodingChunked(response) ? CHUNKED : AS_IS;
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
            return framing;
        }
        return FROM_HEADERS;
    }

    /** Netty's statuses without a body, whatever the request (RFC 9112 section 6.3). */
    private static boolean bodiless(HttpResponse response) {
        HttpResponseStatus status = response.status();
        if (status.codeClass() == HttpStatusClass.INFORMATIONAL) {
            // A 101 without the header may be WebSocket draft 00's, whose handshake has a body.
            return status.code() != 101 || response.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        }
        int code = status.code();
        return code == 204 || code == 304 || code == 205;
    }
}
