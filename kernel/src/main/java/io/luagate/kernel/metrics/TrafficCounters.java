package io.luagate.kernel.metrics;

import io.luagate.spi.proxy.TrafficStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one frontend, backend or server, created once when the proxy is built: a
 * request only increments them (Micrometer's counters and the session gauge are striped adders:
 * no lock, no contention hot spot between event loops). Each kind registers the error counters
 * HAProxy's exporter has for it: request errors for a frontend, connection and response errors
 * for a backend or a server.
 */
public final class TrafficCounters {

    /** Which HAProxy object the counters belong to. */
    public enum Kind { FRONTEND, BACKEND, SERVER }

    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};

    private final Counter requests;
    private final Counter[] responses = new Counter[CLASSES.length];
    private final Counter bytesOut;
    private final Counter bytesIn;
    private final LongAdder current = new LongAdder();
    private final Counter sessions;
    private final Counter requestErrors;
    private final Counter connectErrors;
    private final Counter responseErrors;

    TrafficCounters(MeterRegistry registry, String prefix, Tags tags, Kind kind) {
        this.requests = Counter.builder(prefix + ".http.requests").tags(tags)
                .description("HTTP requests").register(registry);
        for (int i = 0; i < CLASSES.length; i++) {
            responses[i] = Counter.builder(prefix + ".http.responses").tags(tags.and("code", CLASSES[i]))
                    .description("HTTP responses by status class").register(registry);
        }
        this.bytesOut = Counter.builder(prefix + ".bytes.out").tags(tags).baseUnit("bytes")
                .description("Bytes sent to clients").register(registry);
        this.bytesIn = Counter.builder(prefix + ".bytes.in").tags(tags).baseUnit("bytes")
                .description("Bytes received from clients").register(registry);
        Gauge.builder(prefix + ".current.sessions", current, LongAdder::sum).tags(tags).strongReference(true)
                .description(kind == Kind.FRONTEND ? "Client connections open now" : "Streams served now")
                .register(registry);
        this.sessions = Counter.builder(prefix + ".sessions").tags(tags)
                .description(kind == Kind.FRONTEND ? "Client connections" : "Streams").register(registry);
        this.requestErrors = kind != Kind.FRONTEND ? null : Counter.builder(prefix + ".request.errors").tags(tags)
                .description("Requests refused as malformed or timed out while received").register(registry);
        this.connectErrors = kind == Kind.FRONTEND ? null : Counter.builder(prefix + ".connection.errors").tags(tags)
                .description("Failed connect attempts").register(registry);
        this.responseErrors = kind == Kind.FRONTEND ? null : Counter.builder(prefix + ".response.errors").tags(tags)
                .description("Exchanges the server broke or let time out").register(registry);
    }

    /** Counts one finished HTTP request with the status it got (-1: none). */
    public void http(int status) {
        requests.increment();
        int index = status >= 100 && status < 600 ? status / 100 - 1 : CLASSES.length - 1;
        responses[index].increment();
    }

    public void bytes(long in, long out) {
        if (in > 0) {
            bytesIn.increment(in);
        }
        if (out > 0) {
            bytesOut.increment(out);
        }
    }

    /** A session (frontend: client connection; backend, server: stream) starts. */
    public void sessionStarted() {
        current.increment();
        sessions.increment();
    }

    /** A session counted by {@link #sessionStarted} ends. */
    public void sessionEnded() {
        current.decrement();
    }

    /** A request refused as malformed, or that timed out while being received (frontends). */
    public void requestFailed() {
        if (requestErrors != null) {
            requestErrors.increment();
        }
    }

    /** A failed connect attempt (backends, servers). */
    public void connectFailed() {
        if (connectErrors != null) {
            connectErrors.increment();
        }
    }

    /** An exchange the server broke or let time out after the connection was made (backends, servers). */
    public void responseFailed() {
        if (responseErrors != null) {
            responseErrors.increment();
        }
    }

    /** The counters now, read without stopping the writers (each value is exact, the set is not atomic). */
    public TrafficStats snapshot() {
        return new TrafficStats(current.sum(), count(sessions), count(bytesIn), count(bytesOut),
                count(requestErrors), count(connectErrors), count(responseErrors), count(requests),
                count(responses[0]), count(responses[1]), count(responses[2]), count(responses[3]),
                count(responses[4]), count(responses[5]));
    }

    private static long count(Counter counter) {
        return counter == null ? 0 : (long) counter.count();
    }
}
