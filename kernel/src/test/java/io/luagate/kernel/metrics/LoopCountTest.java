package io.luagate.kernel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopCountTest {

    @Test
    void loopsAndOtherThreadsCountingAtOnceAddUpExactly() throws Exception {
        LoopCount count = new LoopCount();
        EventLoopGroup group = new DefaultEventLoopGroup(3);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int l = 0; l < 3; l++) {
                done.add(group.next().submit(() -> {
                    start.await();
                    // Streams that start and end on the loop, one in ten left open.
                    for (int i = 0; i < 100_000; i++) {
                        count.add(1);
                        if (i % 10 != 0) {
                            count.add(-1);
                        }
                    }
                    return null;
                }));
            }
            Thread other = new Thread(() -> {
                for (int i = 0; i < 5_000; i++) {
                    count.add(1);
                }
            });
            other.start();
            start.countDown();
            // Reads while the writers run see a count between none and all.
            for (int i = 0; i < 1_000; i++) {
                long now = count.sum();
                assertTrue(now >= 0 && now <= 3 * 100_000 + 5_000, "read " + now);
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            other.join();
            assertEquals(3 * 10_000 + 5_000, count.sum());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void anEndCountedOnAnotherThreadThanItsStartLeavesTheSumRight() throws Exception {
        LoopCount count = new LoopCount();
        EventLoopGroup group = new DefaultEventLoopGroup(2);
        try {
            EventLoop first = group.next();
            EventLoop second = group.next();
            first.submit(() -> count.add(1)).get(10, TimeUnit.SECONDS);
            second.submit(() -> count.add(1)).get(10, TimeUnit.SECONDS);
            assertEquals(2, count.sum());
            second.submit(() -> count.add(-1)).get(10, TimeUnit.SECONDS);
            count.add(-1);
            assertEquals(0, count.sum());
            first.submit(() -> count.add(3)).get(10, TimeUnit.SECONDS);
            assertEquals(3, count.sum());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
