package io.luagate.kernel.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The counters of one frontend, backend or server, created once when the proxy is built: a
 * request only increments them (Micrometer's counters are striped adders: no lock, no contention
 * hot spot between event loops).
 */
public final class TrafficCounters {

    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};

    private final Counter requests;
    private final Counter[] responses = new Counter[CLASSES.length];
    private final Counter bytesOut;
    private final Counter bytesIn;

    TrafficCounters(MeterRegistry registry, String prefix, Tags tags) {
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
}
