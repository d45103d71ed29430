package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The HTTP/1.1 codec of an upstream connection: Netty's request encoder and response decoder,
 * paired as in Netty's {@code HttpClientCodec} (each response is matched with its request's
 * method, so a response to HEAD has no body), with a response decoder that refuses what HAProxy
 * 2.6.12 refuses from a server. A refused head comes out as a failed decoder result, which the
 * exchange answers with 502 and a closed (never pooled) connection; nothing after it is decoded.
 */
final class UpstreamCodec extends CombinedChannelDuplexHandler<HttpResponseDecoder, HttpRequestEncoder> {

    /** The methods of the requests sent whose final response has not begun. */
    private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(2);

    UpstreamCodec(HttpDecoderConfig config, int maxHeaders) {
        init(new ResponseDecoder(config, maxHeaders), new RequestEncoder());
    }

    private final class RequestEncoder extends HttpRequestEncoder {
        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            if (msg instanceof HttpRequest request) {
                methods.add(request.method());
            }
            super.encode(ctx, msg, out);
        }
    }

    private final class ResponseDecoder extends HttpResponseDecoder {

        private final int maxHeaders;
        private final int headLimit;
        /** The next byte begins a response head (its raw bytes are scanned before decoding). */
        private boolean atHead = true;
        /** The connection left HTTP (101) or sent a refused head: no more scanning or decoding. */
        private boolean passThrough;
        private boolean refused;

        ResponseDecoder(HttpDecoderConfig config, int maxHeaders) {
            super(config);
            this.maxHeaders = maxHeaders;
            this.headLimit = config.getMaxInitialLineLength() + config.getMaxHeaderSize();
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            if (refused) {
                in.skipBytes(in.readableBytes());
                return;
            }
            if (atHead && !passThrough) {
                int verdict = ResponseHeadScan.scan(in, maxHeaders, headLimit);
                if (verdict == ResponseHeadScan.INCOMPLETE) {
                    return;
                }
                if (verdict == ResponseHeadScan.REFUSED) {
                    refuse(in, out, out.size(), "invalid response head");
                    return;
                }
                atHead = false;
            }
            int first = out.size();
            super.decode(ctx, in, out);
            for (int i = first; i < out.size(); i++) {
                Object msg = out.get(i);
                if (msg instanceof HttpResponse response && response.decoderResult().isSuccess()) {
                    if (TransferCodings.judge(response.headers()) != TransferCodings.CHUNKED_OR_NONE) {
                        // Only a lone "chunked" tells where the body ends; HAProxy refuses the rest.
                        response.setDecoderResult(DecoderResult.failure(
                                new IllegalArgumentException("Transfer-Encoding other than chunked")));
                        refuse(in, out, i + 1, null);
                        return;
                    }
                    passThrough |= response.status().code() == 101;
                }
                if (msg instanceof LastHttpContent || msg instanceof HttpMessage head && head.decoderResult().isFailure()) {
                    atHead = true;
                }
            }
        }

        /** Drops the output from {@code from} on and every byte that follows; adds a failed head when a reason is given. */
        private void refuse(ByteBuf in, List<Object> out, int from, String reason) {
            refused = true;
            while (out.size() > from) {
                ReferenceCountUtil.release(out.remove(out.size() - 1));
            }
            in.skipBytes(in.readableBytes());
            if (reason != null) {
                HttpMessage invalid = createInvalidMessage();
                invalid.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(reason)));
                out.add(invalid);
            }
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            int status = ((HttpResponse) msg).status().code();
            if (status >= 100 && status < 200) {
                // An interim response answers no request by itself: the final one follows.
                return super.isContentAlwaysEmpty(msg);
            }
            HttpMethod method = methods.poll();
            return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
        }
    }
}
