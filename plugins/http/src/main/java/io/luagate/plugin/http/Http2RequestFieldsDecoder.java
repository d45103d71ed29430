package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * Netty's HPACK decoder for a client connection, without Netty's validation of the fields (its
 * name checks, a hash look-up per pseudo-header, value checks done twice): each HEADERS frame
 * decodes into an {@link Http2RequestFields}, which checks every field once as it is added, and
 * whose findings {@link Http2RequestCheck} turns into a stream reset. A field without a name ends
 * the connection with COMPRESSION_ERROR, as HAProxy's HPACK decoder does (Netty's validation ended
 * it too, with PROTOCOL_ERROR).
 */
final class Http2RequestFieldsDecoder extends DefaultHttp2HeadersDecoder {

    Http2RequestFieldsDecoder(long maxHeaderListSize) {
        super(false, maxHeaderListSize, -1);
    }

    @Override
    public Http2Headers decodeHeaders(int streamId, ByteBuf headerBlock) throws Http2Exception {
        Http2Headers headers = super.decodeHeaders(streamId, headerBlock);
        if (headers instanceof Http2RequestFields fields && fields.hasEmptyName()) {
            throw Http2Exception.connectionError(Http2Error.COMPRESSION_ERROR, "a field without a name");
        }
        return headers;
    }

    @Override
    protected Http2Headers newHeaders() {
        return new Http2RequestFields(numberOfHeadersGuess());
    }
}
