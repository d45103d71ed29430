package io.luagate.kernel.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AsyncAccessLogTest {

    @Test
    void writesEveryLineInOrder() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        AsyncAccessLog log = new AsyncAccessLog(sink, 1024);
        for (int i = 0; i < 100; i++) {
            int n = i;
            log.write(out -> out.append("line ").append(n));
        }
        log.close();
        String[] lines = sink.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(100, lines.length);
        assertEquals("line 0", lines[0]);
        assertEquals("line 99", lines[99]);
        assertEquals(0, log.dropped());
    }

    /** HAProxy writes a header's bytes and its configuration's UTF-8 as they are; so does the log. */
    @Test
    void aLineCarriesItsBytesAsTheyAre() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        AsyncAccessLog log = new AsyncAccessLog(sink, 1024);
        log.write(out -> out.append("caf\u00c3\u00a9 caf\u00e9"));
        log.close();
        assertArrayEquals(new byte[] {'c', 'a', 'f', (byte) 0xC3, (byte) 0xA9, ' ', 'c', 'a', 'f', (byte) 0xE9, '\n'},
                sink.toByteArray());
    }

    @Test
    void aStuckSinkDropsAndCountsLinesAndNeverBlocksTheCaller() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        OutputStream stuck = new OutputStream() {
            @Override
            public void write(int b) {
                await();
            }

            @Override
            public void write(byte[] b, int off, int len) {
                await();
            }

            private void await() {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        AsyncAccessLog log = new AsyncAccessLog(stuck, 16);
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            log.write(out -> out.append("x".repeat(100)));
        }
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // Kept: a full queue, plus what the writer took before blocking (one line, or what fits in
        // its encoder's buffer of 8 KiB, about 80 lines); everything else was dropped.
        assertTrue(log.dropped() >= 10_000 - 16 - 100, "dropped " + log.dropped());
        assertTrue(tookMs < 5_000, "writing to a stuck log took " + tookMs + " ms");
        release.countDown();
        log.close();
    }

    /** An Error on the writer thread (a full heap) costs the line it hit, never the writer: later lines are written. */
    @Test
    void theWriterSurvivesAnErrorAndWritesTheLinesAfterIt() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        AsyncAccessLog log = new AsyncAccessLog(sink, 1024);
        log.write(out -> out.append("before"));
        log.write(out -> {
            throw new OutOfMemoryError("Java heap space");
        });
        log.write(out -> out.append("after"));
        log.close();
        assertEquals("before\nafter\n", sink.toString(StandardCharsets.UTF_8));
        assertEquals(1, log.dropped());
    }

    /** An Error outside a line (the sink's flush) restarts the writer's loop; nothing queued is lost. */
    @Test
    void theWriterSurvivesAnErrorOfItsSink() {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                written.write(b);
            }

            @Override
            public void flush() {
                if (failed.compareAndSet(false, true)) {
                    throw new StackOverflowError("sink");
                }
            }
        };
        AsyncAccessLog log = new AsyncAccessLog(sink, 1024);
        log.write(out -> out.append("one"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!failed.get() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        log.write(out -> out.append("two"));
        log.close();
        assertTrue(failed.get());
        assertEquals("one\ntwo\n", written.toString(StandardCharsets.UTF_8));
    }
}
