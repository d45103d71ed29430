package io.luagate.plugin.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;

/**
 * What the exchange knows of the client connection's HTTP handlers (installed by {@link HttpCodec}),
 * kept in one place: where bytes are written past the response encoder, and which handlers go when
 * the connection leaves HTTP.
 */
final class ClientPipeline {

    private ClientPipeline() {
    }

    /**
     * The context to write raw response bytes from, past the encoder: it pairs each response head
     * with a request and would take an interim (1xx) one for the final response.
     */
    static ChannelHandlerContext pastEncoder(ChannelPipeline pipeline) {
        return pipeline.context(ClientCodec.class);
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
        pipeline.remove(WireCounter.class);
    }
}
