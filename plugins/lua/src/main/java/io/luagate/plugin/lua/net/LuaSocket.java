package io.luagate.plugin.lua.net;

import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.spi.sample.IpText;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import org.luaj.vm2.LuaError;

/**
 * The Java side of one Lua {@code Socket} ({@code core.tcp()}): a Netty channel made on the event
 * loop of the Lua call that connects it, and the bytes received and not yet read. Every wait
 * (connect, a receive short of data, a send above the write watermark) suspends the call and
 * leaves the loop free; the socket wakes it from its channel's events. Only that loop ever touches
 * the socket, so nothing is locked.
 *
 * <p>Owned by the call that connected it: when that call ends, the socket is closed and its
 * buffer released. Unread bytes are bounded: past {@link #HIGH_WATER} the socket stops reading
 * from the peer until the script reads, unless a receive is waiting for more.
 */
public final class LuaSocket {

    /** {@code receive("*l")}: one line. */
    public static final int LINE = -1;
    /** {@code receive("*a")}: everything until the peer closes. */
    public static final int ALL = -2;

    /** HAProxy's Lua socket proxy gives up a connect after 5 s unless {@code settimeout} says otherwise. */
    static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 5_000;
    /** Unread bytes above which the socket stops reading from its peer (when no receive waits for more). */
    static final int HIGH_WATER = 64 * 1024;
    private static final int MAX_COMPONENTS = 64;

    /** What a receive got: the data, or on error the partial data read before it. */
    public record Received(byte[] data, String error) {
    }

    /** What a send did: how many bytes went out, and the error that stopped it, if any. */
    public record Sent(long count, String error) {
    }

    /** The loop the socket lives on: the creating call's, or the first connecting call's. */
    private volatile EventLoop loop;
    private LuaCall owner;
    private final Runnable closeHook = this::close;
    private Channel channel;
    private boolean tls;
    /** Bytes received and not yet read by the script. */
    private CompositeByteBuf inbound;
    private boolean connected;
    private boolean connectFailed;
    private boolean peerClosed;
    private boolean closed;
    /** A receive is waiting for data: keep reading from the peer whatever is buffered. */
    private boolean readWanted;
    /** {@code settimeout} in milliseconds; -1 = HAProxy's defaults (5 s to connect, no limit on I/O). */
    private long timeoutMillis = -1;
    private final CallWait wait = new CallWait();

    /** @param loop the creating call's loop, or {@code null} for a socket made by a script body or init function */
    public LuaSocket(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * {@code settimeout}: the limit, in milliseconds, of every later connect, and of every wait of
     * a send or receive for the peer (inactivity: each byte that moves restarts it).
     */
    public void timeout(long millis) {
        timeoutMillis = millis;
    }

    /** Checks that {@code call} runs on the socket's loop, binding a socket made outside any call to it. */
    private void checkLoop(LuaCall call, String function) {
        if (loop == null) {
            loop = call.loop();
        } else if (loop != call.loop()) {
            throw new LuaError(function + ": cannot use socket on other thread (a socket belongs to the "
                    + "event loop that created it)");
        }
    }

    // ---- connect -----------------------------------------------------------------------------

    /**
     * Connects to {@code destination} (over TLS without certificate checks when {@code tls}),
     * suspending {@code call} until the connection, and with TLS the handshake, is done.
     *
     * @return {@code null} when connected, else the error message for the script
     */
    public String connect(LuaCall call, Destination destination, boolean tls, String function) {
        checkLoop(call, function);
        if (closed) {
            return "closed";
        }
        if (channel != null) {
            return "already connected";
        }
        this.tls = tls;
        owner = call;
        call.onEnd(closeHook);
        long connectTimeout = timeoutMillis >= 0 ? timeoutMillis : DEFAULT_CONNECT_TIMEOUT_MILLIS;
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(Transports.channelClass(loop, destination))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout)))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls) {
                            SslHandler ssl = InsecureTls.context().newHandler(ch.alloc());
                            // The connect deadline below covers the handshake too.
                            ssl.setHandshakeTimeoutMillis(0);
                            ch.pipeline().addLast(ssl);
                        }
                        ch.pipeline().addLast(new Inbound());
                    }
                });
        if (!destination.unix()) {
            bootstrap.option(ChannelOption.TCP_NODELAY, true);
        }
        ChannelFuture future;
        try {
            // Channel operations run on the loop's thread (LuaCall.onLoop), in order with the loop's own.
            future = call.fromLoop(() -> bootstrap.connect(Transports.address(loop, destination)));
        } catch (RuntimeException e) {
            // No channel could be made for this destination on this loop (its transport lacks it).
            peerClosed = true;
            return "Can't connect (" + e.getMessage() + ")";
        }
        channel = future.channel();
        future.addListener(done -> {
            if (!done.isSuccess()) {
                connectFailed = true;
            }
            wait.wake();
        });
        boolean inTime = wait.await(call, () -> connected || connectFailed || peerClosed || closed, connectTimeout);
        if (connected && !closed) {
            return null;
        }
        if (!closed) {
            call.onLoop(channel::close);
            peerClosed = true;
        }
        // HAProxy's words, whatever the cause (refused, unreachable, timed out, handshake failed).
        return inTime ? "Can't connect" : "Can't connect (timeout)";
    }

    // ---- receive -----------------------------------------------------------------------------

    /**
     * Reads by {@code pattern} ({@link #LINE}, {@link #ALL} or a byte count), suspending the call
     * until there is enough, the peer closes, or the timeout passes.
     */
    public Received receive(LuaCall call, int pattern, String function) {
        checkLoop(call, function);
        if (channel == null || closed || !connected) {
            return new Received(new byte[0], "closed");
        }
        if (pattern == 0) {
            return new Received(new byte[0], null);
        }
        readWanted = true;
        boolean inTime;
        try {
            if (!channel.config().isAutoRead()) {
                call.onLoop(() -> channel.config().setAutoRead(true));
            }
            inTime = wait.await(call, () -> closed || peerClosed || satisfied(pattern), timeoutMillis);
        } finally {
            readWanted = false;
        }
        if (closed) {
            return new Received(new byte[0], "closed");
        }
        if (satisfied(pattern)) {
            if (pattern == LINE) {
                int newline = inbound.indexOf(inbound.readerIndex(), inbound.writerIndex(), (byte) '\n');
                int length = newline - inbound.readerIndex();
                // As HAProxy: the final LF goes, and one CR just before it.
                int kept = length > 0 && inbound.getByte(newline - 1) == '\r' ? length - 1 : length;
                return new Received(take(kept, length - kept + 1), null);
            }
            return new Received(take(pattern, 0), null);
        }
        byte[] rest = take(available(), 0);
        if (peerClosed) {
            return pattern == ALL ? new Received(rest, null) : new Received(rest, "closed");
        }
        return new Received(rest, inTime ? "closed" : "timeout");
    }

    private boolean satisfied(int pattern) {
        if (pattern == LINE) {
            return inbound != null && inbound.indexOf(inbound.readerIndex(), inbound.writerIndex(), (byte) '\n') >= 0;
        }
        return pattern > 0 && available() >= pattern;
    }

    private int available() {
        return inbound == null ? 0 : inbound.readableBytes();
    }

    /** Takes {@code length} bytes, drops {@code skip} more, and reads from the peer again if it was paused. */
    private byte[] take(int length, int skip) {
        byte[] out = new byte[length];
        if (inbound == null) {
            return out;
        }
        inbound.readBytes(out);
        inbound.skipBytes(skip);
        inbound.discardReadComponents();
        if (!peerClosed && !channel.config().isAutoRead() && inbound.readableBytes() <= HIGH_WATER / 2) {
            channel.config().setAutoRead(true);
        }
        return out;
    }

    // ---- send --------------------------------------------------------------------------------

    /**
     * Sends {@code data}; returns once the channel takes more (it is under its write watermark),
     * suspending the call while it is not. A timeout closes the socket: what was queued cannot be
     * taken back, and a script resending from the reported position must not send it twice.
     */
    public Sent send(LuaCall call, byte[] data, String function) {
        checkLoop(call, function);
        if (channel == null || closed || peerClosed || !connected) {
            return new Sent(0, "closed");
        }
        if (data.length == 0) {
            return new Sent(0, null);
        }
        long[] progress = new long[1];
        ChannelProgressivePromise promise = channel.newProgressivePromise();
        promise.addListener(new ChannelProgressiveFutureListener() {
            @Override
            public void operationProgressed(ChannelProgressiveFuture future, long sent, long total) {
                progress[0] = sent;
                wait.touch();
            }

            @Override
            public void operationComplete(ChannelProgressiveFuture future) {
                wait.wake();
            }
        });
        call.onLoop(() -> channel.writeAndFlush(Unpooled.wrappedBuffer(data), promise));
        boolean inTime = wait.await(call, () -> promise.isDone() || closed || peerClosed || channel.isWritable(), timeoutMillis);
        if (promise.isSuccess() || (!promise.isDone() && !closed && !peerClosed && channel.isWritable())) {
            return new Sent(data.length, null);
        }
        if (!inTime) {
            call.onLoop(this::close);
            return new Sent(progress[0], "timeout");
        }
        return new Sent(progress[0], "closed");
    }

    // ---- names and close ---------------------------------------------------------------------

    /** {@code getpeername}: {@code ip:port}, {@code [ipv6]:port} or the socket path; {@code null} if not connected. */
    public String peerName(LuaCall call, String function) {
        if (call != null) {
            checkLoop(call, function);
        }
        return channel == null || closed || !connected ? null : format(channel.remoteAddress());
    }

    /** {@code getsockname}: the local side, written as {@link #peerName}. */
    public String localName(LuaCall call, String function) {
        if (call != null) {
            checkLoop(call, function);
        }
        return channel == null || closed || !connected ? null : format(channel.localAddress());
    }

    private static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            byte[] ip = inet.getAddress().getAddress();
            String text = IpText.format(ip);
            return (ip.length == 16 ? "[" + text + "]" : text) + ":" + inet.getPort();
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            return unix.getPath().toString();
        }
        if (address instanceof io.netty.channel.unix.DomainSocketAddress unix) {
            return unix.path();
        }
        return address == null ? null : address.toString();
    }

    /** {@code close()} from Lua: checks the caller's loop first ({@code call} is {@code null} in a script body or init). */
    public void close(LuaCall call, String function) {
        if (call != null) {
            checkLoop(call, function);
            call.onLoop(this::close);
            return;
        } else if (loop != null) {
            throw new LuaError(function + ": cannot use socket on other thread (a socket belongs to the "
                    + "event loop that created it)");
        }
        close();
    }

    /** Closes the connection and frees the unread bytes. Idempotent; on the socket's loop only. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (owner != null) {
            owner.dropEndHook(closeHook);
        }
        if (channel != null) {
            channel.close();
        }
        if (inbound != null) {
            inbound.release();
            inbound = null;
        }
        // Another call of this loop waiting on the socket sees it closed.
        wait.wake();
    }

    /** Closes the socket from any thread (its Lua object was collected): on its loop, as everything else. */
    public void closeLater() {
        EventLoop l = loop;
        if (l == null) {
            return;
        }
        try {
            l.execute(this::close);
        } catch (RejectedExecutionException e) {
            // The loop stopped: its channels are closed, and the buffer is collected with the socket.
        }
    }

    /** The socket's end of its channel's pipeline. */
    private final class Inbound extends ChannelInboundHandlerAdapter {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (!tls) {
                connected = true;
                wait.wake();
            }
            ctx.fireChannelActive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent handshake) {
                if (handshake.isSuccess()) {
                    connected = true;
                } else {
                    connectFailed = true;
                }
                wait.wake();
            }
            ReferenceCountUtil.release(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (closed || !(msg instanceof ByteBuf bytes)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (inbound == null) {
                inbound = ctx.alloc().compositeBuffer(MAX_COMPONENTS);
            }
            inbound.addComponent(true, bytes);
            wait.touch();
            if (!readWanted && inbound.readableBytes() > HIGH_WATER) {
                ctx.channel().config().setAutoRead(false);
            }
            wait.wake();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            wait.touch();
            wait.wake();
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            peerClosed = true;
            wait.wake();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A reset or a TLS failure: the script sees the socket closed.
            ctx.close();
        }
    }
}
