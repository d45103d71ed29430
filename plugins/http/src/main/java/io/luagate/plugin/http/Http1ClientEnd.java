package io.luagate.plugin.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.concurrent.EventExecutor;

/** An HTTP/1.1 client connection as a {@link ClientEnd}: its session handler's place in the pipeline. */
final class Http1ClientEnd implements ClientEnd {

    private final ChannelHandlerContext ctx;

    Http1ClientEnd(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void write(Object msg) {
        ctx.write(msg, ctx.voidPromise());
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public void writeAndFlush(Object msg) {
        ctx.writeAndFlush(msg, ctx.voidPromise());
    }

    @Override
    public void writeInterim(HttpResponse interim) {
        ClientPipeline.writeInterim(ctx, interim);
    }

    @Override
    public void read() {
        ctx.read();
    }

    @Override
    public void close() {
        ctx.close();
    }

    @Override
    public boolean isActive() {
        return ctx.channel().isActive();
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public EventExecutor executor() {
        return ctx.executor();
    }

    @Override
    public ByteBufAllocator alloc() {
        return ctx.alloc();
    }
}
