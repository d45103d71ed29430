package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link LoopTimers}: the timers of a loop's HTTP/1.1 connections, on one real event loop. */
class LoopTimersTest {

    private final EventLoop loop = new DefaultEventLoop();
    private final List<String> fired = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private IdleTimer timer(String name, CountDownLatch done) {
        return new IdleTimer(new IdleTimer.Owner() {
            @Override
            public TimerCheck timerCheck() {
                return LoopTimers.of(loop);
            }

            @Override
            public void expired(IdleTimer timer) {
                fired.add(name);
                done.countDown();
            }
        });
    }

    @Test
    void oneInstancePerLoop() throws Exception {
        assertSame(loop.submit(() -> LoopTimers.of(loop)).get(), loop.submit(() -> LoopTimers.of(loop)).get());
    }

    @Test
    void timersFireInDeadlineOrderAndStoppedOrCancelledOnesDoNot() throws Exception {
        CountDownLatch done = new CountDownLatch(3);
        long start = System.nanoTime();
        loop.submit(() -> {
            timer("late", done).start(300);
            timer("early", done).start(100);
            timer("middle", done).start(200);
            IdleTimer cancelled = timer("cancelled", done);
            cancelled.start(50);
            cancelled.cancel();
            IdleTimer stopped = timer("stopped", done);
            stopped.start(60);
            stopped.stop();
        }).get();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(List.of("early", "middle", "late"), fired);
        assertTrue(tookMillis >= 300, "the late timer fired after " + tookMillis + " ms");
        // The stopped timer's check ran and found nothing; the cancelled one left at once.
        assertEquals(0, (int) loop.submit(() -> LoopTimers.of(loop).size()).get());
    }

    @Test
    void aTouchedTimerWaitsAFullTimeoutFromTheTouch() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        IdleTimer[] touched = new IdleTimer[1];
        long start = System.nanoTime();
        loop.submit(() -> {
            touched[0] = timer("touched", done);
            touched[0].start(200);
        }).get();
        Thread.sleep(120);
        loop.submit(() -> touched[0].touch()).get();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMillis >= 320, "fired after " + tookMillis + " ms");
    }

    @Test
    void anEarlierDeadlineWakesTheLoopEarlier() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        long start = System.nanoTime();
        loop.submit(() -> {
            IdleTimer t = timer("restarted", done);
            t.start(5_000);
            t.start(100);
        }).get();
        assertTrue(done.await(2, TimeUnit.SECONDS));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMillis >= 100 && tookMillis < 2_000, "fired after " + tookMillis + " ms");
    }

    /** The longest timeout (2^31 - 1 ms) is far off, not past: the int clock does not wrap it round. */
    @Test
    void theLongestTimeoutDoesNotFireAndItsCheckStaysOrderedAmongShortOnes() throws Exception {
        CountDownLatch done = new CountDownLatch(2);
        CountDownLatch longest = new CountDownLatch(1);
        loop.submit(() -> {
            timer("longest", longest).start(Integer.MAX_VALUE);
            timer("over the longest", longest).start(Long.MAX_VALUE);
            timer("second", done).start(80);
            timer("first", done).start(40);
        }).get();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertFalse(longest.await(200, TimeUnit.MILLISECONDS), "fired: " + fired);
        assertEquals(List.of("first", "second"), fired);
        assertEquals(2, (int) loop.submit(() -> LoopTimers.of(loop).size()).get());
    }

    /** Many timers, half of them cancelled in a random order: the heap keeps its order through removals. */
    @Test
    void manyTimersFireInOrderAfterRandomCancels() throws Exception {
        int n = 400;
        CountDownLatch done = new CountDownLatch(n / 2);
        List<String> expected = new ArrayList<>();
        loop.submit(() -> {
            Random random = new Random(42);
            List<IdleTimer> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                IdleTimer t = timer(Integer.toString(i), done);
                t.start(50 + 2L * i);
                all.add(t);
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                order.add(i);
            }
            java.util.Collections.shuffle(order, random);
            boolean[] cancelled = new boolean[n];
            for (int i = 0; i < n / 2; i++) {
                all.get(order.get(i)).cancel();
                cancelled[order.get(i)] = true;
            }
            for (int i = 0; i < n; i++) {
                if (!cancelled[i]) {
                    expected.add(Integer.toString(i));
                }
            }
        }).get();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(expected, fired);
    }

    /**
     * A loop that held many connections' timers gives their array back as they go, and the timers
     * left keep their order through the shrinking.
     */
    @Test
    void theHeapShrinksAsItsTimersGoAndKeepsItsOrder() throws Exception {
        int n = 5_000;
        CountDownLatch done = new CountDownLatch(3);
        int[] capacities = new int[2];
        loop.submit(() -> {
            List<IdleTimer> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                IdleTimer t = timer(Integer.toString(i), done);
                t.start(i == 10 ? 150 : i == 20 ? 50 : i == 30 ? 100 : 60_000);
                all.add(t);
            }
            capacities[0] = LoopTimers.of(loop).capacity();
            for (int i = 0; i < n; i++) {
                if (i != 10 && i != 20 && i != 30) {
                    all.get(i).cancel();
                }
            }
            capacities[1] = LoopTimers.of(loop).capacity();
        }).get();
        assertTrue(capacities[0] >= n, "grown to " + capacities[0]);
        assertEquals(16, capacities[1], "shrunk back with 3 timers left");
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("20", "30", "10"), fired);
    }

    @Test
    void aTimerExpiringAfterItsConnectionClosedDoesNotRun() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        loop.submit(() -> {
            IdleTimer t = timer("closed", done);
            t.start(50);
            t.cancel();
        }).get();
        assertFalse(done.await(300, TimeUnit.MILLISECONDS));
        assertEquals(List.of(), fired);
    }
}
