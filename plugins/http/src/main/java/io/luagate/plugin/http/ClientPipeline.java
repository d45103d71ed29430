package io.luagate.plugin.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * What the exchange knows of the client connection's HTTP handlers (installed by {@link HttpCodec}),
 * kept in one place: where bytes are written past the response encoder, and which handlers go when
 * the connection leaves HTTP.
 */
final class ClientPipeline {

    private ClientPipeline() {
    }

    /**
     * Sends an interim (1xx) response head at once. Over HTTP/1.1 its bytes are written past the
     * response encoder, which pairs each response head with a request and would take this one for
     * the final response; the head goes out as given (names in their case, in order). Over HTTP/2
     * it is a HEADERS frame of its own on the stream.
     */
    static void writeInterim(ChannelHandlerContext client, HttpResponse interim) {
        ChannelHandlerContext beforeCodec = client.pipeline().context(ClientCodec.class);
        if (beforeCodec == null) {
            client.writeAndFlush(new DefaultFullHttpResponse(interim.protocolVersion(), interim.status(),
                    Unpooled.EMPTY_BUFFER, interim.headers(), DefaultHttpHeadersFactory.trailersFactory().newHeaders()));
            return;
        }
        StringBuilder head = new StringBuilder(64).append("HTTP/1.1 ").append(interim.status().code()).append(' ')
                .append(interim.status().reasonPhrase()).append("\r\n");
        interim.headers().forEach(h -> head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
        head.append("\r\n");
        beforeCodec.writeAndFlush(Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1), beforeCodec.voidPromise());
    }

    /**
     * Takes the HTTP handlers out (for a tunnel after a 101). Removing the decoder hands its
     * undecoded bytes on to {@code session}, which gives them to the exchange's tunnel.
     */
    static void leaveHttp(ChannelPipeline pipeline, HttpSessionHandler session) {
        pipeline.remove(ClientCodec.class);
        pipeline.remove(ClientInput.class);
        session.leaveHttp();
        pipeline.remove(session);
    }
}
