package io.luagate.plugin.tcp;

import io.luagate.spi.rule.Transaction;
import io.luagate.spi.service.TcpServiceExchange;
import io.luagate.spi.stream.Stream;
import io.luagate.spi.stream.TerminationCause;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP client connection handed to a {@link io.luagate.spi.service.TcpService}: the bytes held
 * during inspection go first to the receiver, then every read; the client is read only while the
 * service wants data. {@code timeout.client} of silence both ways closes it. The stream ends (its
 * access-log line) when the connection closes. Confined to the connection's event loop.
 */
final class TcpServiceConnection implements TcpServiceExchange {

    private static final Logger LOG = LoggerFactory.getLogger(TcpServiceConnection.class);

    private final ChannelHandlerContext ctx;
    private final Transaction txn;
    private final Stream stream;
    /** Records why the stream ended; where it stood, the stream says. */
    private final Consumer<TerminationCause> terminate;
    private final long idleNanos;
    /** Bytes read before the service took them: the inspected ones first. */
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>(2);
    private Receiver receiver;
    private boolean reading = true;
    private boolean inputEnded;
    private boolean endDelivered;
    private boolean closing;
    private boolean closed;
    private List<Runnable> writableTasks;
    private long lastActivity;
    private ScheduledFuture<?> idleCheck;

    TcpServiceConnection(ChannelHandlerContext ctx, Transaction txn, List<ByteBuf> inspected, boolean inputEnded,
                         long idleTimeoutMillis, Consumer<TerminationCause> terminate) {
        this.ctx = ctx;
        this.txn = txn;
        this.stream = txn.stream();
        this.terminate = terminate;
        this.inputEnded = inputEnded;
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
        if (inspected != null) {
            for (ByteBuf buf : inspected) {
                stream.addBytesFromClient(buf.readableBytes());
                held.add(buf);
            }
        }
        lastActivity = System.nanoTime();
        if (idleNanos > 0) {
            idleCheck = ctx.executor().schedule(this::checkIdle, idleNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public Transaction transaction() {
        return txn;
    }

    @Override
    public void receive(Receiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        if (this.receiver != null) {
            throw new IllegalStateException("receive() was called already");
        }
        this.receiver = receiver;
        ByteBuf buf;
        while (!closed && (buf = held.poll()) != null) {
            deliver(buf);
        }
        if (inputEnded) {
            deliverEnd();
        } else {
            readMore();
        }
    }

    @Override
    public void reading(boolean on) {
        reading = on;
        if (on) {
            readMore();
        }
    }

    @Override
    public boolean write(byte[] data) {
        if (closing || closed) {
            return false;
        }
        if (data.length > 0) {
            // A copy: the caller may reuse its array while the bytes wait in the outbound buffer.
            ctx.writeAndFlush(ctx.alloc().buffer(data.length).writeBytes(data), ctx.voidPromise());
            stream.addBytesToClient(data.length);
            lastActivity = System.nanoTime();
        }
        return ctx.channel().isWritable();
    }

    @Override
    public void onWritable(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (closing || closed) {
            return;
        }
        if (ctx.channel().isWritable()) {
            task.run();
            return;
        }
        if (writableTasks == null) {
            writableTasks = new ArrayList<>(2);
        }
        writableTasks.add(task);
    }

    @Override
    public void close() {
        if (closing || closed) {
            return;
        }
        closing = true;
        writableTasks = null;
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        // A client that does not read cannot hold the connection open past timeout.client.
        lastActivity = System.nanoTime();
    }

    void data(ByteBuf buf) {
        lastActivity = System.nanoTime();
        if (closed || closing) {
            buf.release();
            return;
        }
        stream.addBytesFromClient(buf.readableBytes());
        if (receiver == null) {
            held.add(buf);
        } else {
            deliver(buf);
        }
    }

    void readComplete() {
        readMore();
    }

    void inputEnded() {
        inputEnded = true;
        if (receiver != null && held.isEmpty()) {
            deliverEnd();
        }
    }

    void writabilityChanged() {
        lastActivity = System.nanoTime();
        if (!ctx.channel().isWritable() || writableTasks == null || closing || closed) {
            return;
        }
        List<Runnable> tasks = writableTasks;
        writableTasks = null;
        for (Runnable task : tasks) {
            task.run();
        }
    }

    /** The connection is closed: the service hears the end, the stream ends. */
    void closed() {
        if (closed) {
            return;
        }
        closed = true;
        writableTasks = null;
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        held.forEach(ByteBuf::release);
        held.clear();
        if (!closing && !inputEnded) {
            terminate.accept(TerminationCause.CLIENT_ABORT);
        }
        if (receiver != null) {
            deliverEnd();
        }
        stream.end();
    }

    private void deliver(ByteBuf buf) {
        byte[] bytes;
        try {
            bytes = ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
        try {
            receiver.data(bytes);
        } catch (RuntimeException e) {
            LOG.warn("a TCP service failed on received data", e);
            ctx.close();
        }
    }

    private void deliverEnd() {
        if (endDelivered) {
            return;
        }
        endDelivered = true;
        try {
            receiver.end();
        } catch (RuntimeException e) {
            LOG.warn("a TCP service failed at the end of its input", e);
            ctx.close();
        }
    }

    private void readMore() {
        if (reading && receiver != null && !inputEnded && !closing && !closed && ctx.channel().isActive()) {
            ctx.read();
        }
    }

    private void checkIdle() {
        idleCheck = null;
        if (closed) {
            return;
        }
        long left = lastActivity + idleNanos - System.nanoTime();
        if (left > 0) {
            idleCheck = ctx.executor().schedule(this::checkIdle, left, TimeUnit.NANOSECONDS);
            return;
        }
        terminate.accept(TerminationCause.CLIENT_TIMEOUT);
        ctx.close();
    }
}
