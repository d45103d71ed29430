package io.luagate.kernel.log;

import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log. Event loops put finished streams on a bounded lock-free queue (Netty's MPSC
 * queue: no lock, no allocation per offer); one writer thread formats and writes them. When the
 * queue is full the line is dropped and counted: traffic never waits for the log. The writer polls
 * with short parks instead of being woken per line, because a wake-up is a system call per request.
 */
public final class AsyncAccessLog implements AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncAccessLog.class);
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long DROP_REPORT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Queue<LogRecord> queue;
    private final Writer out;
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    private volatile boolean running = true;

    /** @param sink where lines go; closed by {@link #close()} unless it is stdout or stderr */
    public AsyncAccessLog(OutputStream sink, int capacity) {
        this.queue = PlatformDependent.newFixedMpscQueue(capacity);
        // A line's strings hold bytes, one char each (a header's, a configuration's UTF-8): written
        // as they are, as HAProxy writes them.
        this.out = new OutputStreamWriter(sink, StandardCharsets.ISO_8859_1);
        this.writer = new Thread(this::run, "luagate-access-log");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    @Override
    public void write(LogRecord record) {
        if (!queue.offer(record)) {
            dropped.increment();
        }
    }

    @Override
    public long dropped() {
        return dropped.sum();
    }

    /**
     * The writer thread's body. It outlives every failure: an Error while a line is formatted or
     * written (a full heap, most often) drops that line, is logged, and the writer goes on, because
     * a dead writer would silently lose every later line for the rest of the process's life.
     */
    private void run() {
        while (true) {
            try {
                drain();
                return;
            } catch (Throwable e) {
                survived(e, "the access log writer failed; it goes on with the next line");
                // An Error that repeats at once (the sink's flush) must not become a busy loop.
                LockSupport.parkNanos(IDLE_PARK_NANOS);
            }
        }
    }

    private void drain() {
        StringBuilder line = new StringBuilder(256);
        long lastReport = System.nanoTime();
        long reportedDrops = 0;
        while (running || !queue.isEmpty()) {
            LogRecord record = queue.poll();
            if (record == null) {
                flush();
                long now = System.nanoTime();
                if (now - lastReport > DROP_REPORT_NANOS) {
                    long drops = dropped.sum();
                    if (drops > reportedDrops) {
                        LOG.warn("access log: {} lines dropped so far (the log sink could not keep up)", drops);
                        reportedDrops = drops;
                    }
                    lastReport = now;
                }
                LockSupport.parkNanos(IDLE_PARK_NANOS);
                continue;
            }
            line.setLength(0);
            try {
                record.format(line);
                line.append('\n');
                out.append(line);
            } catch (IOException | RuntimeException e) {
                dropped.increment();
                LOG.warn("access log: cannot write a line", e);
            } catch (Error e) {
                dropped.increment();
                // The line may be what filled the heap: let it go before anything else allocates.
                line = new StringBuilder(256);
                survived(e, "access log: a line was dropped");
            }
        }
        flush();
    }

    /** Logs an Error the writer survives; logging itself may fail while the heap is full. */
    private static void survived(Throwable e, String what) {
        try {
            LOG.error("{}: {}", what, e.toString());
        } catch (Throwable ignored) {
            // Nothing left to report with; the next line tries again.
        }
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            LOG.warn("access log: cannot flush", e);
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
