package io.luagate.plugin.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpMethod;

/**
 * The HTTP/1.1 codec of a client connection: luagate's {@link RequestDecoder} and
 * {@link ResponseHeadEncoder}, paired as in Netty's {@code HttpServerCodec}: each response head is
 * matched with the method of its request, so a response to HEAD goes without its body and a 2xx to
 * CONNECT without Transfer-Encoding. The session's {@code read()} passes here first, so a decoder
 * paused after an Upgrade request goes on with what it held back.
 */
final class ClientCodec extends CombinedChannelDuplexHandler<RequestDecoder, ResponseHeadEncoder> {

    /**
     * @param lineLimit  the longest request line (414 beyond)
     * @param headLimit  the largest request head (431 beyond)
     * @param maxContent the largest body piece passed on at once
     */
    ClientCodec(int lineLimit, int headLimit, int maxContent) {
        init(new RequestDecoder(lineLimit, headLimit, maxContent), new ResponseEncoder());
    }

    private final class ResponseEncoder extends ResponseHeadEncoder {

        @Override
        HttpMethod answered() {
            return inboundHandler().answered();
        }

        @Override
        public void read(ChannelHandlerContext ctx) {
            if (!inboundHandler().resume()) {
                ctx.read();
            }
        }
    }
}
