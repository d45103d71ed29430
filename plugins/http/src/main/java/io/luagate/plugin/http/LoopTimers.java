package io.luagate.plugin.http;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link IdleTimer}s of one event loop's HTTP/1.1 client connections on one scheduled task of
 * the loop: a binary heap of the timers ordered by when each wants its check, and the loop's task
 * set for the earliest. A timer is its own heap entry, so an armed timer costs a slot of the heap
 * (4 bytes) instead of a scheduled task of the loop (64 bytes, and a slot of the loop's queue): an
 * idle keep-alive connection has its keep-alive timer armed, and an idle connection's stopped
 * client and server timers wait for their old check (re-arming one is then free). As with the
 * loop's own queue, adding and removing cost O(log n); nothing is allocated per timer.
 *
 * <p>The heap shrinks as its timers go (to half its size when a quarter is in use), and so does
 * the list of a large batch of due timers: a loop that once held 10,000 connections keeps no array
 * for them after they closed.
 *
 * <p>One instance per event loop ({@link #of}), found through a thread-local of the loop's thread;
 * confined to that loop.
 */
final class LoopTimers implements TimerCheck, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(LoopTimers.class);
    private static final FastThreadLocal<LoopTimers> CURRENT = new FastThreadLocal<>();
    /** The heap's smallest size: it never shrinks below (nor starts above) this. */
    private static final int MIN_CAPACITY = 16;
    /** A batch of due timers larger than this does not leave its list's array behind. */
    private static final int DUE_KEPT = 64;

    private final EventLoop loop;
    private IdleTimer[] heap = new IdleTimer[MIN_CAPACITY];
    private int size;
    /** The loop's task that runs the due timers, or {@code null}; due at {@link #taskAt}. */
    private ScheduledFuture<?> task;
    private int taskAt;
    private final ArrayList<IdleTimer> due = new ArrayList<>();

    private LoopTimers(EventLoop loop) {
        this.loop = loop;
    }

    /** The timers of {@code loop}; called on the loop. */
    static LoopTimers of(EventLoop loop) {
        LoopTimers timers = CURRENT.get();
        // A thread runs one loop, but tests run several embedded loops one after the other on theirs.
        if (timers == null || timers.loop != loop) {
            timers = new LoopTimers(loop);
            CURRENT.set(timers);
        }
        return timers;
    }

    /** The timers waiting for their check (tests). */
    int size() {
        return size;
    }

    /** The heap's array length (tests). */
    int capacity() {
        return heap.length;
    }

    @Override
    public void add(IdleTimer timer) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        siftUp(size++, timer);
        if (heap[0] == timer) {
            schedule(timer.checkAt);
        }
    }

    @Override
    public void remove(IdleTimer timer) {
        if (!timer.queued()) {
            return;
        }
        int i = timer.slot;
        timer.slot = -1;
        IdleTimer last = heap[--size];
        heap[size] = null;
        if (last != timer) {
            // The task may now be due before the earliest timer: it then finds nothing to run, once.
            siftDown(i, last);
            if (heap[i] == last) {
                siftUp(i, last);
            }
        }
        if (size < heap.length >>> 2 && heap.length > MIN_CAPACITY) {
            // Halved at a quarter, doubled when full: neither happens again for as many changes as it copied.
            heap = Arrays.copyOf(heap, heap.length >>> 1);
        }
    }

    private void schedule(int at) {
        if (task != null) {
            if (taskAt - at <= 0) {
                return;
            }
            task.cancel(false);
        }
        taskAt = at;
        task = loop.schedule(this, Math.max(0, TimerClock.nanosUntil(at, System.nanoTime())), TimeUnit.NANOSECONDS);
    }

    @Override
    public void run() {
        task = null;
        int now = TimerClock.millis(System.nanoTime());
        // Due timers leave the heap before any runs: running one may stop or start others (or itself).
        while (size > 0 && heap[0].checkAt - now <= 0) {
            IdleTimer first = heap[0];
            remove(first);
            due.add(first);
        }
        int ran = due.size();
        for (int i = 0; i < ran; i++) {
            try {
                due.get(i).run();
            } catch (RuntimeException e) {
                // As the loop would log a task of its own that failed; the other connections' timers still run.
                LOG.warn("a connection timer failed", e);
            }
        }
        due.clear();
        if (ran > DUE_KEPT) {
            due.trimToSize();
        }
        if (size > 0) {
            schedule(heap[0].checkAt);
        }
    }

    private void siftUp(int i, IdleTimer timer) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            IdleTimer p = heap[parent];
            if (timer.checkAt - p.checkAt >= 0) {
                break;
            }
            place(i, p);
            i = parent;
        }
        place(i, timer);
    }

    private void siftDown(int i, IdleTimer timer) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].checkAt - heap[child].checkAt < 0) {
                child = right;
            }
            if (timer.checkAt - heap[child].checkAt <= 0) {
                break;
            }
            place(i, heap[child]);
            i = child;
        }
        place(i, timer);
    }

    private void place(int i, IdleTimer timer) {
        heap[i] = timer;
        timer.slot = i;
    }
}
