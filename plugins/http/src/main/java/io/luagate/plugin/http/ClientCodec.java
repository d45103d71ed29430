package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.ArrayDeque;

/**
 * The HTTP/1.1 codec of a client connection: luagate's {@link RequestDecoder} and Netty's response
 * encoder, paired as in Netty's {@code HttpServerCodec}: each response head is matched with the
 * method of its request, so a response to HEAD goes without its body and a 2xx to CONNECT without
 * Transfer-Encoding. The session's {@code read()} passes here first, so a decoder paused after an
 * Upgrade request goes on with what it held back.
 */
final class ClientCodec extends CombinedChannelDuplexHandler<RequestDecoder, HttpResponseEncoder> {

    /** The methods of the requests decoded whose response has not been written. */
    private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(4);

    /**
     * @param lineLimit  the longest request line (414 beyond)
     * @param headLimit  the largest request head (431 beyond)
     * @param maxContent the largest body piece passed on at once
     */
    ClientCodec(int lineLimit, int headLimit, int maxContent) {
        init(new RequestDecoder(lineLimit, headLimit, maxContent, methods), new ResponseEncoder());
    }

    private final class ResponseEncoder extends HttpResponseEncoder {

        private HttpMethod method;

        @Override
        public void read(ChannelHandlerContext ctx) {
            if (!inboundHandler().resume()) {
                ctx.read();
            }
        }

        @Override
        protected void encodeInitialLine(ByteBuf buf, HttpResponse response) throws Exception {
            if (response.status() instanceof VerbatimStatus status) {
                status.encodeLine(buf, response);
            } else {
                super.encodeInitialLine(buf, response);
            }
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            method = methods.poll();
            return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
        }

        @Override
        protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
            if (!isAlwaysEmpty && HttpMethod.CONNECT.equals(method) && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
                // A tunnel's 2xx has no body to frame (RFC 9110 section 9.3.6).
                msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                return;
            }
            super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
        }
    }
}
