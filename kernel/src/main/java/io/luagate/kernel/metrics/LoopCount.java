package io.luagate.kernel.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A count that every event loop changes and anyone reads, such as the streams a server serves
 * now: each loop adds to a cell of its own, on a cache line of its own, so that two loops counting
 * at once never pull one line back and forth between their cores (an atomic add on one shared
 * value did, twice per proxied request); a read sums the loops' cells. Threads that are not event
 * loops add to one atomic value. As HAProxy keeps per-thread counters and sums them when asked.
 */
public final class LoopCount {

    /** A cache line of padding on each side of the cell, whatever lies next to the array in the heap. */
    private static final int PAD = 8;
    private static final int LENGTH = PAD + 1 + PAD;
    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);

    /** Each loop's cell by its {@link LoopSlot}; grown (copied) when a loop counts here first. */
    private volatile long[][] loops = new long[0][];
    private final AtomicLong shared = new AtomicLong();

    /** Adds {@code n} (negative: takes away), on any thread. */
    public void add(long n) {
        int slot = LoopSlot.current();
        if (slot == LoopSlot.SHARED) {
            shared.addAndGet(n);
            return;
        }
        long[][] all = loops;
        long[] cell = slot < all.length ? all[slot] : null;
        if (cell == null) {
            cell = cellOf(slot);
        }
        // Only this loop writes its cell: a plain read, and an opaque write that a reader on
        // another thread sees whole and soon, without the fence of a volatile write.
        CELL.setOpaque(cell, PAD, cell[PAD] + n);
    }

    /** The count now: every loop's cell and the shared value, read without stopping the writers. */
    public long sum() {
        long total = shared.get();
        for (long[] cell : loops) {
            if (cell != null) {
                total += (long) CELL.getOpaque(cell, PAD);
            }
        }
        return total;
    }

    /** Once per loop: the loop's cell, published to readers with the array that holds it. */
    private synchronized long[] cellOf(int slot) {
        long[][] all = loops;
        if (slot < all.length && all[slot] != null) {
            return all[slot];
        }
        long[][] grown = Arrays.copyOf(all, Math.max(all.length, slot + 1));
        grown[slot] = new long[LENGTH];
        loops = grown;
        return grown[slot];
    }
}
