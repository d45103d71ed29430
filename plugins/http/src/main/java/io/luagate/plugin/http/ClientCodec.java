package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.util.concurrent.PromiseCombiner;
import io.netty.util.internal.StringUtil;
import java.util.ArrayList;

/**
 * The HTTP/1.1 codec of a client connection: luagate's {@link RequestDecoder} and Netty's response
 * encoder, paired as in Netty's {@code HttpServerCodec}: each response head is matched with the
 * method of its request, so a response to HEAD goes without its body and a 2xx to CONNECT without
 * Transfer-Encoding. The session's {@code read()} passes here first, so a decoder paused after an
 * Upgrade request goes on with what it held back.
 */
final class ClientCodec extends CombinedChannelDuplexHandler<RequestDecoder, HttpResponseEncoder> {

    /**
     * @param lineLimit  the longest request line (414 beyond)
     * @param headLimit  the largest request head (431 beyond)
     * @param maxContent the largest body piece passed on at once
     */
    ClientCodec(int lineLimit, int headLimit, int maxContent) {
        init(new RequestDecoder(lineLimit, headLimit, maxContent), new ResponseEncoder());
    }

    private final class ResponseEncoder extends HttpResponseEncoder {

        private HttpMethod method;

        /**
         * What Netty's encoder does in {@code write}, encoding into a list lent for the call
         * ({@link EncodedParts}) instead of the list each encoder keeps.
         */
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            ArrayList<Object> out = EncodedParts.borrow();
            try {
                if (acceptOutboundMessage(msg)) {
                    encode(ctx, msg, out);
                    if (out.isEmpty()) {
                        throw new EncoderException(StringUtil.simpleClassName(this) + " must produce at least one message.");
                    }
                } else {
                    ctx.write(msg, promise);
                }
            } catch (EncoderException e) {
                throw e;
            } catch (Throwable t) {
                throw new EncoderException(t);
            } finally {
                try {
                    writeParts(ctx, out, promise);
                } finally {
                    EncodedParts.giveBack(out);
                }
            }
        }

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
            method = inboundHandler().answered();
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

    /** The parts of one encoded message, each written with its share of the message's promise. */
    private static void writeParts(ChannelHandlerContext ctx, ArrayList<Object> out, ChannelPromise promise) {
        int size = out.size();
        if (size == 1) {
            ctx.write(out.get(0), promise);
        } else if (size > 1) {
            if (promise == ctx.voidPromise()) {
                ChannelPromise voidPromise = ctx.voidPromise();
                for (int i = 0; i < size; i++) {
                    ctx.write(out.get(i), voidPromise);
                }
            } else {
                PromiseCombiner combiner = new PromiseCombiner(ctx.executor());
                for (int i = 0; i < size; i++) {
                    combiner.add(ctx.write(out.get(i)));
                }
                combiner.finish(promise);
            }
        }
    }
}
