package io.luagate.kernel.net;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loops ({@code global.threads}) and the transport they use: Linux's native epoll when
 * Netty can load it, NIO otherwise. Loops are numbered 1..N as HAProxy numbers threads.
 */
public final class EventLoops implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoops.class);

    private final EventLoopGroup group;
    private final EventLoop[] loops;
    private final boolean epoll;

    public EventLoops(int threads) {
        this(threads, CpuMap.none());
    }

    /** Loops bound to CPUs as {@code cpuMap} says, each by itself before it serves anything. */
    public EventLoops(int threads, CpuMap cpuMap) {
        int count = count(threads);
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(count, new DefaultThreadFactory("luagate-loop", false), io);
        List<EventLoop> list = new ArrayList<>(count);
        for (EventExecutor executor : group) {
            list.add((EventLoop) executor);
        }
        this.loops = list.toArray(EventLoop[]::new);
        if (!cpuMap.isEmpty()) {
            bind(cpuMap);
        }
    }

    /**
     * Each loop binds its own thread (affinity is per thread, and a loop's thread is its own to
     * touch); the constructor waits, so that listeners open on loops already in place. A loop
     * whose CPUs this machine lacks stays unbound, as in HAProxy, with a warning.
     */
    private void bind(CpuMap cpuMap) {
        List<Future<String>> outcomes = new ArrayList<>(loops.length);
        for (int n = 1; n <= loops.length; n++) {
            BitSet cpus = cpuMap.cpusOf(n);
            outcomes.add(cpus == null ? null : loops[n - 1].submit(() -> ThreadAffinity.bindCurrentThread(cpus)));
        }
        for (int n = 1; n <= loops.length; n++) {
            Future<String> outcome = outcomes.get(n - 1);
            if (outcome == null) {
                continue;
            }
            String failure = outcome.syncUninterruptibly().getNow();
            if (failure == null) {
                LOG.info("event loop {} bound to CPUs {} (global.cpu-map)", n, cpuMap.cpusOf(n));
            } else {
                LOG.warn("event loop {} left unbound: {}", n, failure);
            }
        }
    }

    /** How many loops {@code global.threads} means: 0 is one per core. */
    public static int count(int threads) {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    public EventLoopGroup group() {
        return group;
    }

    public int size() {
        return loops.length;
    }

    /** The loop numbered {@code n}, 1-based. */
    public EventLoop loop(int n) {
        return loops[n - 1];
    }

    /** The 0-based index of {@code loop}, used to index per-loop state. */
    public int indexOf(EventLoop loop) {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i] == loop) {
                return i;
            }
        }
        throw new IllegalArgumentException("not one of luagate's event loops: " + loop);
    }

    public boolean epoll() {
        return epoll;
    }

    public String transportName() {
        return epoll ? "epoll" : "nio";
    }

    public Class<? extends ServerChannel> serverChannelClass() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends Channel> channelClass() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
