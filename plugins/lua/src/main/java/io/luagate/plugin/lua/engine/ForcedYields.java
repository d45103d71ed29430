package io.luagate.plugin.lua.engine;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Lua calls of one event loop that yielded to let others run (a forced yield, core.yield).
 * They resume in a batch from a timer, so that the loop polls its sockets between two batches:
 * resubmitted as plain tasks they would run before any I/O, thousands of slices in a row (Netty
 * runs up to 4096 queued tasks per turn). Used only on its loop.
 */
final class ForcedYields {

    /** Short enough to be invisible next to a slice, long enough for the loop to poll its sockets first. */
    private static final long DELAY_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

    private final EventLoop loop;
    private List<Runnable> waiting = new ArrayList<>();
    private boolean armed;

    ForcedYields(EventLoop loop) {
        this.loop = loop;
    }

    void defer(Runnable resume) {
        waiting.add(resume);
        if (!armed) {
            armed = true;
            loop.schedule(this::runBatch, DELAY_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    private void runBatch() {
        armed = false;
        List<Runnable> batch = waiting;
        waiting = new ArrayList<>();
        for (Runnable resume : batch) {
            try {
                resume.run();
            } catch (Throwable e) {
                // One call's failure must not cost the others of the batch their resume.
                org.slf4j.LoggerFactory.getLogger("io.luagate.lua").error("lua: resuming a call failed", e);
            }
        }
    }
}
