package io.luagate.kernel.metrics;

import io.luagate.spi.proxy.TrafficStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The counters of one frontend, backend or server, created once when the proxy is built. A stream
 * adds about twenty values when it ends; on an event loop each is a plain add to that loop's own
 * cells (no compare-and-swap, no fence: the loop is their only writer), and a read (a scrape, the
 * stats page, a Lua call) sums every loop's cells. Threads that are not event loops count in one
 * set of atomic cells. The meters (registered when a registry is made) have the names, tags and descriptions of
 * HAProxy's exporter; each kind has the error counters HAProxy's exporter has for it: request
 * errors for a frontend, connection and response errors for a backend or a server.
 */
public final class TrafficCounters {

    /** Which HAProxy object the counters belong to. */
    public enum Kind { FRONTEND, BACKEND, SERVER }

    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};

    // The cells of one loop: a value per field.
    private static final int REQUESTS = 0;
    private static final int RESPONSES = 1; // six classes, 1 to 6
    private static final int BYTES_IN = 7;
    private static final int BYTES_OUT = 8;
    private static final int CURRENT = 9;
    private static final int SESSIONS = 10;
    private static final int REQUEST_ERRORS = 11;
    private static final int CONNECT_ERRORS = 12;
    private static final int RESPONSE_ERRORS = 13;
    private static final int FIELDS = 14;
    /** A cache line of padding on each side, so that two loops' cells never share a line. */
    private static final int PAD = 8;

    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);

    private final Kind kind;
    /** Each loop's cells by its {@link LoopSlot}; grown (copied) when a loop counts here first. */
    private volatile long[][] loops = new long[0][];
    private final AtomicLongArray shared = new AtomicLongArray(FIELDS);

    TrafficCounters(Kind kind) {
        this.kind = kind;
    }

    /**
     * Registers the meters that read these counters; {@link Metrics} calls it once, when the
     * registry is first needed.
     */
    void register(MeterRegistry registry, String prefix, Tags tags) {
        counter(registry, prefix + ".http.requests", tags, "HTTP requests", null, REQUESTS);
        for (int i = 0; i < CLASSES.length; i++) {
            counter(registry, prefix + ".http.responses", tags.and("code", CLASSES[i]), "HTTP responses by status class",
                    null, RESPONSES + i);
        }
        counter(registry, prefix + ".bytes.out", tags, "Bytes sent to clients", "bytes", BYTES_OUT);
        counter(registry, prefix + ".bytes.in", tags, "Bytes received from clients", "bytes", BYTES_IN);
        Gauge.builder(prefix + ".current.sessions", this, c -> c.sum(CURRENT)).tags(tags).strongReference(true)
                .description(kind == Kind.FRONTEND ? "Client connections open now" : "Streams served now")
                .register(registry);
        counter(registry, prefix + ".sessions", tags, kind == Kind.FRONTEND ? "Client connections" : "Streams",
                null, SESSIONS);
        if (kind == Kind.FRONTEND) {
            counter(registry, prefix + ".request.errors", tags,
                    "Requests refused as malformed or timed out while received", null, REQUEST_ERRORS);
        } else {
            counter(registry, prefix + ".connection.errors", tags, "Failed connect attempts", null, CONNECT_ERRORS);
            counter(registry, prefix + ".response.errors", tags, "Exchanges the server broke or let time out",
                    null, RESPONSE_ERRORS);
        }
    }

    /** A counter read from the cells; the registry may hold it weakly: {@link Metrics} keeps this object for the process. */
    private void counter(MeterRegistry registry, String name, Tags tags, String description, String unit, int field) {
        FunctionCounter.builder(name, this, c -> c.sum(field)).tags(tags).baseUnit(unit)
                .description(description).register(registry);
    }

    /** Counts one finished HTTP request with the status it got (-1: none). */
    public void http(int status) {
        int index = status >= 100 && status < 600 ? status / 100 - 1 : CLASSES.length - 1;
        long[] cells = cells();
        add(cells, REQUESTS, 1);
        add(cells, RESPONSES + index, 1);
    }

    public void bytes(long in, long out) {
        long[] cells = cells();
        if (in > 0) {
            add(cells, BYTES_IN, in);
        }
        if (out > 0) {
            add(cells, BYTES_OUT, out);
        }
    }

    /** A session (frontend: client connection; backend, server: stream) starts. */
    public void sessionStarted() {
        long[] cells = cells();
        add(cells, CURRENT, 1);
        add(cells, SESSIONS, 1);
    }

    /** A session counted by {@link #sessionStarted} ends (on any thread: only the sum of the loops' cells is its count). */
    public void sessionEnded() {
        add(cells(), CURRENT, -1);
    }

    /** A request refused as malformed, or that timed out while being received (frontends). */
    public void requestFailed() {
        if (kind == Kind.FRONTEND) {
            add(cells(), REQUEST_ERRORS, 1);
        }
    }

    /** A failed connect attempt (backends, servers). */
    public void connectFailed() {
        if (kind != Kind.FRONTEND) {
            add(cells(), CONNECT_ERRORS, 1);
        }
    }

    /** An exchange the server broke or let time out after the connection was made (backends, servers). */
    public void responseFailed() {
        if (kind != Kind.FRONTEND) {
            add(cells(), RESPONSE_ERRORS, 1);
        }
    }

    /** The counters now, read without stopping the writers (each value is exact, the set is not atomic). */
    public TrafficStats snapshot() {
        return new TrafficStats(sum(CURRENT), sum(SESSIONS), sum(BYTES_IN), sum(BYTES_OUT),
                sum(REQUEST_ERRORS), sum(CONNECT_ERRORS), sum(RESPONSE_ERRORS), sum(REQUESTS),
                sum(RESPONSES), sum(RESPONSES + 1), sum(RESPONSES + 2), sum(RESPONSES + 3),
                sum(RESPONSES + 4), sum(RESPONSES + 5));
    }

    /** The calling loop's cells, or {@code null} off the loops (count in {@link #shared}). */
    private long[] cells() {
        int slot = LoopSlot.current();
        if (slot == LoopSlot.SHARED) {
            return null;
        }
        long[][] all = loops;
        long[] cells = slot < all.length ? all[slot] : null;
        return cells != null ? cells : cellsOf(slot);
    }

    /** Once per loop: the loop's cells, published to readers with the array that holds them. */
    private synchronized long[] cellsOf(int slot) {
        long[][] all = loops;
        if (slot < all.length && all[slot] != null) {
            return all[slot];
        }
        long[][] grown = Arrays.copyOf(all, Math.max(all.length, slot + 1));
        grown[slot] = new long[PAD + FIELDS + PAD];
        loops = grown;
        return grown[slot];
    }

    private void add(long[] cells, int field, long n) {
        if (cells == null) {
            shared.addAndGet(field, n);
        } else {
            // Only this loop writes its cell: a plain read, and an opaque write that a reader on
            // another thread sees whole and soon, without the fence of a volatile write.
            CELL.setOpaque(cells, PAD + field, cells[PAD + field] + n);
        }
    }

    private long sum(int field) {
        long total = shared.get(field);
        for (long[] cells : loops) {
            if (cells != null) {
                total += (long) CELL.getOpaque(cells, PAD + field);
            }
        }
        return total;
    }
}
