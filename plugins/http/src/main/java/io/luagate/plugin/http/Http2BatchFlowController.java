package io.luagate.plugin.http;

import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.StreamByteDistributor;

/**
 * Netty's remote flow controller, whose writing of what the windows allow ends by handing the
 * connection's batch of frames ({@link Http2ResponseFrameWriter}) to the pipeline: Netty's handler
 * flushes right after it, so a flush carries every frame written before it, in one write.
 */
final class Http2BatchFlowController extends DefaultHttp2RemoteFlowController {

    private final Http2ResponseFrameWriter writer;

    Http2BatchFlowController(Http2Connection connection, StreamByteDistributor distributor,
            Http2ResponseFrameWriter writer) {
        super(connection, distributor);
        this.writer = writer;
    }

    @Override
    public void writePendingBytes() throws Http2Exception {
        try {
            super.writePendingBytes();
        } finally {
            if (channelHandlerContext() != null) {
                writer.writeBatch(channelHandlerContext());
            }
        }
    }
}
