package io.luagate.plugin.http;

import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayDeque;

/**
 * The HTTP/1.1 codec of an upstream connection: luagate's {@link RequestHeadEncoder} and
 * {@link ResponseDecoder}, paired as in Netty's {@code HttpClientCodec}: each response is matched
 * with its request's method, so a response to HEAD has no body. A refused head comes out as a
 * failed decoder result, which the exchange answers with 502 and a closed (never pooled)
 * connection; nothing after it is decoded.
 */
final class UpstreamCodec extends CombinedChannelDuplexHandler<ResponseDecoder, RequestHeadEncoder> {

    /** The methods of the requests sent whose final response has not begun. */
    private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(2);

    /**
     * @param config     the limits: the status line ({@code maxInitialLineLength}), the header
     *                   lines ({@code maxHeaderSize}), the largest body piece passed on ({@code maxChunkSize})
     * @param maxHeaders {@code tune.http.maxhdr}
     */
    UpstreamCodec(HttpDecoderConfig config, int maxHeaders) {
        int lineLimit = config.getMaxInitialLineLength();
        init(new ResponseDecoder(methods, lineLimit, lineLimit + config.getMaxHeaderSize(), maxHeaders,
                config.getMaxChunkSize()), new RequestHeadEncoder(methods));
    }
}
