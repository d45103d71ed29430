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
        this.out = new OutputStreamWriter(sink, StandardCharsets.UTF_8);
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

    private void run() {
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
            }
        }
        flush();
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
