package io.luagate.plugin.tcp;

import io.luagate.spi.filter.FilterInstance;
import io.luagate.spi.filter.FilterResult;
import io.luagate.spi.rule.ProxySide;
import io.luagate.spi.rule.Transaction;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filters of one TCP stream, the frontend's then the backend's. Bytes are shown to them on
 * their way out of luagate: a handler first in each connection's pipeline sees every write to
 * that peer, whoever makes it (the codec flushing held bytes, the kernel's tunnel, a rule's
 * {@code send}). Runs on the stream's loop.
 */
final class TcpFilters {

    private static final Logger LOG = LoggerFactory.getLogger(TcpFilters.class);

    private final Transaction txn;
    private final Runnable fail;
    private final List<FilterInstance> instances = new ArrayList<>(2);
    private boolean requestStarted;
    private boolean responseStarted;
    private boolean closed;

    /** @param fail closes both connections: a filter said ERROR */
    TcpFilters(Transaction txn, Runnable fail) {
        this.txn = txn;
        this.fail = fail;
    }

    /** Attaches the filters declared on {@code side} and starts their request analysis; {@code false} when one said ERROR. */
    boolean attach(ProxySide side) {
        int from = instances.size();
        txn.stream().rules().attachFilters(side, txn, instances);
        requestStarted = true;
        for (int i = from; i < instances.size(); i++) {
            FilterInstance instance = instances.get(i);
            if (call(() -> instance.startAnalyze(txn, false)) == FilterResult.ERROR) {
                return false;
            }
        }
        return true;
    }

    /** The server is connected: the response's analysis starts. {@code false} when a filter said ERROR. */
    boolean startResponse() {
        responseStarted = true;
        for (FilterInstance instance : instances) {
            if (call(() -> instance.startAnalyze(txn, true)) == FilterResult.ERROR) {
                return false;
            }
        }
        return true;
    }

    boolean isEmpty() {
        return instances.isEmpty();
    }

    /** Shows what is written to {@code peer} to the filters of that direction. */
    void tap(Channel peer, boolean response) {
        peer.pipeline().addFirst(new Tap(response));
    }

    /** The stream ended: each started direction ends, then the instances are dropped. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (FilterInstance instance : instances) {
            if (requestStarted) {
                call(() -> instance.endAnalyze(txn, false));
            }
            if (responseStarted) {
                call(() -> instance.endAnalyze(txn, true));
            }
            try {
                instance.detach();
            } catch (RuntimeException e) {
                LOG.warn("a filter failed to detach", e);
            }
        }
        instances.clear();
    }

    private boolean wantsPayload(boolean response) {
        for (FilterInstance instance : instances) {
            if (instance.wantsPayload(response)) {
                return true;
            }
        }
        return false;
    }

    private static FilterResult call(java.util.function.Supplier<FilterResult> callback) {
        try {
            FilterResult result = callback.get();
            return result == null ? FilterResult.CONTINUE : result;
        } catch (RuntimeException e) {
            LOG.warn("a filter callback failed; the stream fails as on an ERROR result", e);
            return FilterResult.ERROR;
        }
    }

    /** Outbound, first in the pipeline: every write to this peer passes here last. */
    private final class Tap extends ChannelOutboundHandlerAdapter {

        private final boolean response;

        Tap(boolean response) {
            this.response = response;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (closed || !(msg instanceof ByteBuf buf) || !buf.isReadable() || !wantsPayload(response)) {
                ctx.write(msg, promise);
                return;
            }
            PassingBytes bytes = new PassingBytes(response, buf, ctx.alloc(), ctx.executor());
            for (FilterInstance instance : instances) {
                if (instance.wantsPayload(response) && call(() -> instance.tcpPayload(txn, bytes)) == FilterResult.ERROR) {
                    bytes.take().release();
                    if (!promise.isVoid()) {
                        promise.tryFailure(new IllegalStateException("a filter refused the bytes"));
                    }
                    fail.run();
                    return;
                }
            }
            ctx.write(bytes.take(), promise);
        }
    }
}
