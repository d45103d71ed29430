package io.luagate.kernel.stream;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many client connections one generation of the configuration still serves, and what to do
 * once it serves none after being replaced. A session holds the lease of the generation whose
 * frontend it uses; it moves to the current generation only between streams, so the count covers
 * every stream in flight too, without a shared write per request. Once replaced and empty, the
 * lease is closed for good: a late connection cannot join it and goes to the current generation.
 */
public final class GenerationLease {

    /** The count once the generation is retired: no session may join any more. */
    private static final int RETIRED = -1;

    private final long number;
    private final AtomicInteger sessions = new AtomicInteger();
    private volatile Runnable onEmpty;

    public GenerationLease(long number) {
        this.number = number;
    }

    /** The generation's number: 1 for the first. */
    public long number() {
        return number;
    }

    /** Counts a session in; {@code false} when the generation is retired (the session goes elsewhere). */
    boolean enter() {
        while (true) {
            int now = sessions.get();
            if (now == RETIRED) {
                return false;
            }
            if (sessions.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Counts a session out (closed, or moved to a newer generation). */
    void leave() {
        if (sessions.decrementAndGet() == 0) {
            retireIfEmpty();
        }
    }

    /** Sessions holding the lease now; -1 once retired. */
    public int sessions() {
        return sessions.get();
    }

    /**
     * The generation was replaced: {@code onEmpty} runs once, as soon as no session holds the
     * lease (now, if none does). It may run on an event loop, so it only hands the work on.
     */
    public void replaced(Runnable onEmpty) {
        this.onEmpty = onEmpty;
        retireIfEmpty();
    }

    private void retireIfEmpty() {
        Runnable action = onEmpty;
        // Whoever moves the count from 0 to RETIRED runs the action; a session entering meanwhile wins instead.
        if (action != null && sessions.compareAndSet(0, RETIRED)) {
            action.run();
        }
    }
}
