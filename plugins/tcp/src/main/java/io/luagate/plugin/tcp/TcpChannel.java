package io.luagate.plugin.tcp;

import io.luagate.spi.rule.ChannelBuffer;
import io.luagate.spi.stream.Stream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One direction of a TCP stream while rules may look at it: the bytes read from its producer and
 * held back (input), and where forwarded bytes go (its peer connection, or a queue while there is
 * none yet: request bytes forwarded before the server connection exists go first once it does).
 *
 * <p>Owns the buffers it holds: they leave through {@link #flushTo} or are freed by
 * {@link #release}. Confined to the stream's event loop.
 */
final class TcpChannel implements ChannelBuffer {

    private final boolean response;
    private final int capacity;
    private final ByteBufAllocator alloc;
    private final EventExecutor loop;
    private final Stream stream;
    /** Whether the rules of this direction look at its input now and may wait for more of it. */
    private final BooleanSupplier inspected;
    private final HeldBytes input = new HeldBytes();
    private final ChannelFutureListener wakeOnWritten = future -> wake();
    /** Forwarded before the peer connection existed: written first when it does. */
    private ArrayDeque<ByteBuf> queued;
    private int queuedBytes;
    private Channel peer;
    private boolean inputEnded;
    private boolean released;
    private List<Runnable> watchers;

    /**
     * @param capacity  how many bytes the direction holds at most ({@code tune.bufsize})
     * @param inspected whether this direction's rules inspect its input now and may wait for more
     */
    TcpChannel(boolean response, int capacity, ByteBufAllocator alloc, EventExecutor loop, Stream stream,
               BooleanSupplier inspected) {
        this.response = response;
        this.capacity = capacity;
        this.alloc = alloc;
        this.loop = loop;
        this.stream = stream;
        this.inspected = inspected;
    }

    // ---- the session's side ------------------------------------------------------------------

    /** Holds {@code buf} (read from the producer) as input; takes ownership. */
    void received(ByteBuf buf) {
        if (released) {
            buf.release();
            return;
        }
        input.add(buf);
        wake();
    }

    /** The producer ended its output (a FIN): no more input will come. */
    void inputEnded() {
        inputEnded = true;
        wake();
    }

    /** Forwarded bytes go to {@code peer} from now on, written at once. */
    void peer(Channel peer) {
        this.peer = peer;
    }

    /** Writes what was forwarded, then every held byte, to {@code target}, which becomes the peer. */
    void flushTo(Channel target) {
        peer = target;
        if (queued != null) {
            List<ByteBuf> forwarded = new ArrayList<>(queued);
            queued = null;
            queuedBytes = 0;
            write(forwarded, false);
        }
        write(input.takeAll(), false);
        target.flush();
        wake();
    }

    /** Everything held, forwarded bytes first, for a new owner (a TCP service). */
    List<ByteBuf> takeAll() {
        List<ByteBuf> all = new ArrayList<>();
        if (queued != null) {
            all.addAll(queued);
            queued = null;
            queuedBytes = 0;
        }
        all.addAll(input.takeAll());
        wake();
        return all;
    }

    /** The input as one array (shared: do not change it), for the payload fetches. */
    byte[] array() {
        return input.array();
    }

    /** Frees what is held; later operations see an empty buffer that can no longer receive or send. */
    void release() {
        released = true;
        input.release();
        if (queued != null) {
            queued.forEach(ByteBuf::release);
            queued = null;
            queuedBytes = 0;
        }
        wake();
    }

    /** Lets waiting callers look again (the rules' last evaluation began). */
    void wake() {
        List<Runnable> tasks = watchers;
        if (tasks == null) {
            return;
        }
        watchers = null;
        // Never run a caller inside the event that woke it: it may change the stream's state.
        for (Runnable task : tasks) {
            loop.execute(task);
        }
    }

    // ---- ChannelBuffer -----------------------------------------------------------------------

    @Override
    public boolean isResponse() {
        return response;
    }

    @Override
    public boolean rawAccess() {
        return true;
    }

    @Override
    public int input() {
        return input.size();
    }

    @Override
    public int output() {
        if (peer == null) {
            return queuedBytes;
        }
        ChannelOutboundBuffer pending = peer.unsafe().outboundBuffer();
        return pending == null ? 0 : (int) Math.min(Integer.MAX_VALUE, pending.totalPendingWriteBytes());
    }

    @Override
    public boolean mayReceive() {
        return !inputEnded && !released && room() > 0;
    }

    @Override
    public boolean isFull() {
        return room() <= 0;
    }

    @Override
    public boolean moreMayCome() {
        return mayReceive() && inspected.getAsBoolean();
    }

    @Override
    public void onChange(Runnable task) {
        if (released) {
            loop.execute(task);
            return;
        }
        if (watchers == null) {
            watchers = new ArrayList<>(1);
        }
        watchers.add(task);
    }

    @Override
    public byte[] read(int offset, int length) {
        return input.copy(offset, length);
    }

    @Override
    public int set(int offset, int length, byte[] data) {
        if (offset < 0 || length < 0 || offset + length > input.size()) {
            throw new IndexOutOfBoundsException("range " + offset + "+" + length + " outside the " + input.size() + " input bytes");
        }
        if (released || data.length > room() + length) {
            return -1;
        }
        if (length == 0 && data.length == 0) {
            return 0;
        }
        input.replace(offset, length, data, alloc);
        return data.length;
    }

    @Override
    public int remove(int offset, int length) {
        if (length > 0) {
            input.replace(offset, length, new byte[0], alloc);
        }
        return length;
    }

    @Override
    public int send(byte[] data) {
        if (released || outputClosed()) {
            return -1;
        }
        int n = Math.min(data.length, Math.max(0, room()));
        if (n > 0) {
            List<ByteBuf> bytes = new ArrayList<>(1);
            bytes.add(alloc.buffer(n).writeBytes(data, 0, n));
            write(bytes, true);
        }
        return n;
    }

    @Override
    public int forward(int length) {
        int n = Math.min(Math.max(0, length), input.size());
        if (n > 0) {
            write(input.take(n), true);
        }
        return n;
    }

    // ---- inside ------------------------------------------------------------------------------

    private int room() {
        return capacity - input.size() - output();
    }

    private boolean outputClosed() {
        return peer != null && (!peer.isActive() || peer instanceof DuplexChannel duplex && duplex.isOutputShutdown());
    }

    /**
     * Sends {@code bytes} (owned by this call) to the peer, or queues them while there is none.
     * {@code watched}: a caller may wait for room, so the bytes are flushed now and the end of the
     * write wakes it; otherwise the caller flushes.
     */
    private void write(List<ByteBuf> bytes, boolean watched) {
        if (bytes.isEmpty()) {
            return;
        }
        if (peer == null) {
            if (queued == null) {
                queued = new ArrayDeque<>(2);
            }
            for (ByteBuf buf : bytes) {
                queuedBytes += buf.readableBytes();
                queued.add(buf);
            }
            return;
        }
        for (int i = 0, n = bytes.size(); i < n; i++) {
            ByteBuf buf = bytes.get(i);
            count(buf.readableBytes());
            if (watched && i == n - 1) {
                peer.writeAndFlush(buf).addListener(wakeOnWritten);
            } else {
                peer.write(buf, peer.voidPromise());
            }
        }
    }

    private void count(int n) {
        if (response) {
            stream.addBytesToClient(n);
        } else {
            stream.addBytesFromClient(n);
        }
    }
}
