package io.luagate.kernel.net;

import io.luagate.kernel.config.Settings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.util.internal.PlatformDependent;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Binds frontends' addresses. With epoll, each address gets one listening socket per event loop
 * (SO_REUSEPORT), so the kernel spreads accepts over the loops and a connection is accepted on the
 * loop that will serve it. With NIO, one socket accepts and hands connections to the loops in turn.
 * {@code bind { address = ..., thread = N }} pins an address to loop N. Sockets are bound with
 * auto-read off; their frontend and the connection limit decide when they accept.
 */
public final class Listeners {

    /** Where one listening socket of an address runs: its accepting loop, the loops of its connections. */
    private record Target(EventLoop acceptLoop, EventLoopGroup children, boolean reusePort) {
    }

    /**
     * The read-size policy of every accepted connection, shared; Netty makes one per connection
     * otherwise (32 bytes that every idle connection holds). It is a factory with fixed settings;
     * what adapts to a connection's reads lives in the small handle each connection makes of it.
     */
    private static final RecvByteBufAllocator CLIENT_READS = new ReadSizing();

    private final EventLoops loops;
    private final ConnectionLimiter limiter;
    private final List<Channel> channels = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public Listeners(EventLoops loops, ConnectionLimiter limiter) {
        this.loops = loops;
        this.limiter = limiter;
    }

    /**
     * Binds {@code listener}'s entry, waiting for it (at start, never on an event loop); accepted
     * connections go to {@code accept}. Returns the bound addresses.
     */
    public List<InetSocketAddress> bind(BoundListener listener, ChannelInitializer<Channel> accept) {
        listener.attach(this, accept);
        int generation = listener.generation();
        InetSocketAddress address = listener.bind().address();
        List<InetSocketAddress> bound = new ArrayList<>();
        for (Target target : targets(listener.bind())) {
            Channel channel = bootstrap(target, accept).bind(address).syncUninterruptibly().channel();
            // Port 0 asks for any port: every loop's socket must then share the first one's.
            address = (InetSocketAddress) channel.localAddress();
            bound.add(address);
            track(channel);
            listener.bound(channel, generation);
        }
        return bound;
    }

    /**
     * Binds {@code listener}'s address again without waiting (its frontend resumes; the caller may
     * be an event loop). The sockets join the listener as they come, or the failure is reported to it.
     */
    void rebind(BoundListener listener, ChannelInitializer<Channel> accept, int generation) {
        if (closed) {
            return;
        }
        InetSocketAddress address = listener.address();
        for (Target target : targets(listener.bind())) {
            ChannelFuture future = bootstrap(target, accept).bind(address);
            future.addListener(f -> {
                if (f.isSuccess()) {
                    track(future.channel());
                    listener.bound(future.channel(), generation);
                } else {
                    listener.rebindFailed(generation, f.cause());
                }
            });
        }
    }

    private List<Target> targets(Settings.Bind bind) {
        List<Target> targets = new ArrayList<>();
        if (bind.thread() > 0) {
            EventLoop loop = loops.loop(Math.min(bind.thread(), loops.size()));
            targets.add(new Target(loop, loop, false));
        } else if (loops.epoll() && loops.size() > 1) {
            for (int i = 1; i <= loops.size(); i++) {
                targets.add(new Target(loops.loop(i), loops.loop(i), true));
            }
        } else {
            targets.add(new Target(loops.loop(1), loops.group(), false));
        }
        return targets;
    }

    private ServerBootstrap bootstrap(Target target, ChannelInitializer<Channel> accept) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(target.acceptLoop(), target.children())
                .channel(loops.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                // Accepting starts when the frontend and the limiter say so.
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, CLIENT_READS)
                .childHandler(accept);
        if (!PlatformDependent.canEnableTcpNoDelayByDefault()) {
            // Where it can, Netty's socket config turns TCP_NODELAY on as it makes each connection:
            // asking for it again cost one system call per accepted connection.
            bootstrap.childOption(ChannelOption.TCP_NODELAY, true);
        }
        if (target.reusePort()) {
            bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        return bootstrap;
    }

    private void track(Channel channel) {
        channels.add(channel);
        channel.closeFuture().addListener(f -> channels.remove(channel));
        if (closed) {
            channel.close();
        }
    }

    /** Stops accepting: closes every listening socket. */
    public void close() {
        closed = true;
        for (Channel channel : channels) {
            limiter.removeListener(channel);
            channel.close().syncUninterruptibly();
        }
        channels.clear();
    }
}
