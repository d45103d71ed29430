package io.luagate.plugin.lua.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.util.ReferenceCountUtil;

/**
 * The HTTP client's end of one upstream channel's pipeline. It lives as long as the channel, idle
 * connections included: the pool's partition ({@link HttpClientExchange#PARTITION}) hands them back
 * only to the HTTP client, so the codec stays in place between requests. While idle, anything the
 * server sends is out of turn and closes the connection (so the pool never hands it out).
 */
final class HttpClientConnection extends ChannelInboundHandlerAdapter {

    /** What the connection reports about the request in flight; owned by the exchange that waits on it. */
    static final class Attempt {
        final CallWait wait = new CallWait();
        boolean bytesSeen;
        /** The complete response, owned here until the exchange takes it. */
        FullHttpResponse response;
        Throwable failure;
        boolean closed;

        boolean done() {
            return response != null || failure != null || closed;
        }

        void response(FullHttpResponse received) {
            if (done()) {
                received.release();
                return;
            }
            response = received;
            wait.wake();
        }

        void failed(Throwable cause) {
            if (failure == null) {
                failure = cause;
            }
            wait.wake();
        }

        void closed() {
            closed = true;
            wait.wake();
        }

        /** Frees a response nobody will read (the call was cancelled while it arrived). */
        void discard() {
            if (response != null) {
                response.release();
                response = null;
            }
        }
    }

    private Attempt current;
    /** Requests this connection completed (the pool's count). */
    int uses;

    /** The head of the pipeline: notes that the server sent a byte, before any decoding. */
    final ChannelInboundHandlerAdapter firstBytes = new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Attempt attempt = current;
            if (attempt != null && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                attempt.bytesSeen = true;
                attempt.wait.touch();
            }
            ctx.fireChannelRead(msg);
        }
    };

    void begin(Attempt attempt) {
        current = attempt;
    }

    void idle() {
        current = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Attempt attempt = current;
        if (attempt == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof FullHttpResponse response) {
            HttpResponseStatus status = response.status();
            if (status.codeClass() == HttpStatusClass.INFORMATIONAL && status.code() != 101) {
                // An interim response (100 Continue, 103 Early Hints): the final one follows.
                response.release();
                return;
            }
            attempt.response(response);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Attempt attempt = current;
        if (attempt != null) {
            attempt.closed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Attempt attempt = current;
        if (attempt != null) {
            attempt.failed(cause);
        }
        ctx.close();
    }
}
