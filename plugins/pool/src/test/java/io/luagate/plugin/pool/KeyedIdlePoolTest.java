package io.luagate.plugin.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.pool.PoolSettings;
import io.luagate.spi.pool.UpstreamKey;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pool's rules, on real (in-VM) connected channels driven on their own event loop. */
class KeyedIdlePoolTest {

    private final UpstreamKey a = UpstreamKey.plain(new InetSocketAddress("127.0.0.1", 9001), "app");
    private EventLoopGroup group;
    private EventLoop loop;
    private Channel server;
    private KeyedIdlePool pool;

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        loop = group.next();
        server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // the far end of each test connection: nothing to do
                    }
                })
                .bind(new LocalAddress("pool-test-" + System.nanoTime())).sync().channel();
        pool = new KeyedIdlePool(loop, new PoolSettings(2, 150));
    }

    @AfterEach
    void stop() throws Exception {
        onLoop(() -> {
            pool.close();
            return null;
        });
        server.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private Channel connect() throws InterruptedException {
        return new Bootstrap().group(loop).channel(LocalChannel.class).handler(new ChannelInboundHandlerAdapter())
                .connect(server.localAddress()).sync().channel();
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    @Test
    void givesConnectionsBackOnlyForTheExactSameKey() throws Exception {
        Channel ch = connect();
        assertTrue(onLoop(() -> pool.offer(a, ch, 1)));
        assertNull(onLoop(() -> pool.poll(UpstreamKey.plain(new InetSocketAddress("127.0.0.1", 9002), "app"), 0)));
        assertNull(onLoop(() -> pool.poll(UpstreamKey.plain(new InetSocketAddress("127.0.0.1", 9001), "app/split"), 0)));
        assertNull(onLoop(() -> pool.poll(new UpstreamKey(new InetSocketAddress("127.0.0.1", 9001), true, "a.example", null, 0, "app"), 0)));
        assertSame(ch, onLoop(() -> pool.poll(UpstreamKey.plain(new InetSocketAddress("127.0.0.1", 9001), "app"), 0)));
        assertNull(onLoop(() -> pool.poll(a, 0)), "handed out once, then gone from the pool");
    }

    @Test
    void mostRecentlyUsedFirstAndAtMostMaxIdlePerKey() throws Exception {
        Channel first = connect();
        Channel second = connect();
        Channel third = connect();
        assertTrue(onLoop(() -> pool.offer(a, first, 1)));
        assertTrue(onLoop(() -> pool.offer(a, second, 1)));
        assertFalse(onLoop(() -> pool.offer(a, third, 1)), "max-idle is 2");
        assertEquals(2, (int) onLoop(pool::idleCount));
        assertSame(second, onLoop(() -> pool.poll(a, 0)));
        assertSame(first, onLoop(() -> pool.poll(a, 0)));
    }

    @Test
    void skipsDeadConnectionsAndHonoursMinUses() throws Exception {
        Channel ch = connect();
        assertTrue(onLoop(() -> pool.offer(a, ch, 1)));
        assertNull(onLoop(() -> pool.poll(a, 2)), "a connection used once does not qualify for minUses 2");
        assertSame(ch, onLoop(() -> pool.poll(a, 1)));
        assertTrue(onLoop(() -> pool.offer(a, ch, 1)));
        ch.close().sync();
        assertNull(onLoop(() -> pool.poll(a, 0)), "a closed connection is never handed out");
        assertEquals(0, (int) onLoop(pool::idleCount));
    }

    @Test
    void connectionsOfAnotherLoopAreRefused() throws Exception {
        EventLoopGroup other = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        try {
            Channel foreign = new Bootstrap().group(other).channel(LocalChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).connect(server.localAddress()).sync().channel();
            assertFalse(onLoop(() -> pool.offer(a, foreign, 1)));
            foreign.close().sync();
        } finally {
            other.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void expiresIdleConnections() throws Exception {
        Channel ch = connect();
        assertTrue(onLoop(() -> pool.offer(a, ch, 1)));
        assertTrue(ch.closeFuture().await(3, TimeUnit.SECONDS), "idle past the 150 ms timeout: closed");
        assertEquals(0, (int) onLoop(pool::idleCount));
    }

    @Test
    void closeClosesEverythingAndRefusesMore() throws Exception {
        Channel ch = connect();
        assertTrue(onLoop(() -> pool.offer(a, ch, 1)));
        onLoop(() -> {
            pool.close();
            return null;
        });
        assertTrue(ch.closeFuture().await(3, TimeUnit.SECONDS));
        Channel later = connect();
        assertFalse(onLoop(() -> pool.offer(a, later, 1)));
        later.close().sync();
    }
}
