package io.luagate.kernel.net;

import io.luagate.kernel.config.Settings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds frontends' addresses. With epoll, each address gets one listening socket per event loop
 * (SO_REUSEPORT), so the kernel spreads accepts over the loops and a connection is accepted on the
 * loop that will serve it. With NIO, one socket accepts and hands connections to the loops in turn.
 * {@code bind { address = ..., thread = N }} pins an address to loop N.
 */
public final class Listeners {

    private final EventLoops loops;
    private final ConnectionLimiter limiter;
    private final List<Channel> channels = new ArrayList<>();

    public Listeners(EventLoops loops, ConnectionLimiter limiter) {
        this.loops = loops;
        this.limiter = limiter;
    }

    /** Binds {@code bind}; accepted connections go to {@code accept}. Returns the bound addresses. */
    public List<InetSocketAddress> bind(Settings.Bind bind, ChannelInitializer<Channel> accept) {
        List<InetSocketAddress> bound = new ArrayList<>();
        if (bind.thread() > 0) {
            EventLoop loop = loops.loop(Math.min(bind.thread(), loops.size()));
            bound.add(bindOne(bind.address(), loop, loop, accept, false));
        } else if (loops.epoll() && loops.size() > 1) {
            InetSocketAddress address = bind.address();
            for (int i = 1; i <= loops.size(); i++) {
                InetSocketAddress actual = bindOne(address, loops.loop(i), loops.loop(i), accept, true);
                // Port 0 asks for any port: every loop's socket must then share the first one's.
                address = actual;
                bound.add(actual);
            }
        } else {
            bound.add(bindOne(bind.address(), loops.loop(1), loops.group(), accept, false));
        }
        return bound;
    }

    private InetSocketAddress bindOne(InetSocketAddress address, EventLoop acceptLoop,
                                      io.netty.channel.EventLoopGroup childGroup,
                                      ChannelInitializer<Channel> accept, boolean reusePort) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptLoop, childGroup)
                .channel(loops.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(accept);
        if (reusePort) {
            bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        Channel channel = bootstrap.bind(address).syncUninterruptibly().channel();
        channels.add(channel);
        limiter.addListener(channel);
        return (InetSocketAddress) channel.localAddress();
    }

    /** Stops accepting: closes every listening socket. */
    public void close() {
        for (Channel channel : channels) {
            limiter.removeListener(channel);
            channel.close().syncUninterruptibly();
        }
        channels.clear();
    }
}
