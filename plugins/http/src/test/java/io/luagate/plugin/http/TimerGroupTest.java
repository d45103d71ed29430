package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link TimerGroup}: the timers of an HTTP/2 connection's streams, on one real event loop. */
class TimerGroupTest {

    private final EventLoop loop = new DefaultEventLoop();
    private final TimerGroup group = new TimerGroup(loop);
    private final List<String> fired = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        loop.submit(group::close).get();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private IdleTimer timer(String name, CountDownLatch done) {
        return new IdleTimer(new IdleTimer.Owner() {
            @Override
            public TimerCheck timerCheck() {
                return group;
            }

            @Override
            public void expired(IdleTimer timer) {
                fired.add(name);
                done.countDown();
            }
        });
    }

    @Test
    void eachTimerFiresAtItsOwnDeadlineAndStoppedOnesDoNot() throws Exception {
        CountDownLatch done = new CountDownLatch(2);
        long start = System.nanoTime();
        loop.submit(() -> {
            timer("late", done).start(300);
            timer("early", done).start(100);
            IdleTimer cancelled = timer("cancelled", done);
            cancelled.start(50);
            cancelled.cancel();
            IdleTimer stopped = timer("stopped", done);
            stopped.start(50);
            stopped.stop();
        }).get();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(List.of("early", "late"), fired);
        assertTrue(tookMillis >= 300, "the late timer fired after " + tookMillis + " ms");
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

    /** A connection idle after a burst of streams gives their timers' array back; the timer left still fires. */
    @Test
    void theListShrinksAsItsTimersGo() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        int[] capacities = new int[2];
        loop.submit(() -> {
            List<IdleTimer> burst = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                IdleTimer t = timer("stream" + i, done);
                t.start(i == 42 ? 50 : 60_000);
                burst.add(t);
            }
            capacities[0] = group.capacity();
            for (int i = 0; i < 100; i++) {
                if (i != 42) {
                    burst.get(i).cancel();
                }
            }
            capacities[1] = group.capacity();
        }).get();
        assertTrue(capacities[0] >= 100, "grown to " + capacities[0]);
        assertEquals(4, capacities[1], "shrunk back with one timer left");
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("stream42"), fired);
    }

    @Test
    void aClosedGroupRunsNothing() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        loop.submit(() -> {
            timer("orphan", done).start(50);
            group.close();
            timer("after-close", done).start(10);
        }).get();
        assertTrue(!done.await(300, TimeUnit.MILLISECONDS));
        assertEquals(List.of(), fired);
    }
}
