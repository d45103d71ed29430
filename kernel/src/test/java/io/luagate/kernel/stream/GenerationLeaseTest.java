package io.luagate.kernel.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GenerationLeaseTest {

    @Test
    void aGenerationInUseRetiresWhenItsLastSessionLeaves() {
        GenerationLease lease = new GenerationLease(3);
        AtomicInteger retired = new AtomicInteger();
        assertTrue(lease.enter());
        assertTrue(lease.enter());
        lease.replaced(retired::incrementAndGet);
        assertEquals(0, retired.get(), "two sessions still use it");
        lease.leave();
        assertEquals(0, retired.get());
        lease.leave();
        assertEquals(1, retired.get());
        assertEquals(-1, lease.sessions());
        assertFalse(lease.enter(), "a retired generation takes no session");
    }

    @Test
    void anEmptyGenerationRetiresAtOnceWhenReplaced() {
        GenerationLease lease = new GenerationLease(1);
        assertTrue(lease.enter());
        lease.leave();
        AtomicInteger retired = new AtomicInteger();
        assertEquals(0, retired.get());
        lease.replaced(retired::incrementAndGet);
        assertEquals(1, retired.get());
    }

    @Test
    void theCurrentGenerationNeverRetiresWhenEmpty() {
        GenerationLease lease = new GenerationLease(1);
        for (int i = 0; i < 3; i++) {
            assertTrue(lease.enter());
            lease.leave();
        }
        assertEquals(0, lease.sessions());
        assertTrue(lease.enter(), "not replaced: it still takes sessions");
    }

    /** Sessions entering and leaving on several threads while the generation is replaced: it retires exactly once, after the last. */
    @Test
    void retiresExactlyOnceUnderConcurrentSessions() throws Exception {
        for (int round = 0; round < 200; round++) {
            GenerationLease lease = new GenerationLease(round);
            AtomicInteger retired = new AtomicInteger();
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger insideAtRetire = new AtomicInteger(-1);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 200; i++) {
                        if (lease.enter()) {
                            inside.incrementAndGet();
                            inside.decrementAndGet();
                            lease.leave();
                        }
                    }
                }));
            }
            go.countDown();
            lease.replaced(() -> {
                insideAtRetire.set(inside.get());
                retired.incrementAndGet();
            });
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(1, retired.get(), "round " + round);
            assertEquals(0, insideAtRetire.get(), "retired while a session was inside, round " + round);
            assertFalse(lease.enter());
        }
    }
}
