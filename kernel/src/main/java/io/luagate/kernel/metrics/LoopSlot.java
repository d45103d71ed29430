package io.luagate.kernel.metrics;

import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small number of its own for each event-loop thread, so that per-loop counters are a plain
 * array index away: the loops' threads are Netty's, whose thread-locals are an indexed array,
 * while any other thread (a test's, a script task's, a health check off the loops) gets
 * {@link #SHARED} and counts in the shared, atomic cells.
 */
final class LoopSlot {

    /** Not an event loop (or more loops than slots): count atomically. */
    static final int SHARED = -1;
    /** Loops beyond this many share the atomic cells; a process has about as many loops as cores. */
    static final int MAX = 256;

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final FastThreadLocal<Integer> SLOT = new FastThreadLocal<>() {
        @Override
        protected Integer initialValue() {
            int slot = NEXT.getAndIncrement();
            return slot < MAX ? slot : SHARED;
        }
    };

    private LoopSlot() {
    }

    /** The calling thread's slot: the same number for the thread's whole life. */
    static int current() {
        return FastThreadLocalThread.currentThreadHasFastThreadLocal() ? SLOT.get() : SHARED;
    }
}
