package io.luagate.kernel.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The process's meters, named after HAProxy's Prometheus exporter ({@code haproxy_frontend_...},
 * {@code haproxy_backend_...}, {@code haproxy_server_...}, {@code haproxy_process_...}) so that
 * existing dashboards keep working; luagate's own are {@code luagate_...}.
 */
public final class Metrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /**
     * The counters of each proxy and server by name, made once per process: a reload's new
     * generation counts on where the old one left (continuity for Prometheus' rates), and the
     * sessions gauge counts the connections of both generations.
     */
    private final Map<String, TrafficCounters> counters = new ConcurrentHashMap<>();

    public TrafficCounters frontend(String name) {
        return counters.computeIfAbsent("frontend\0" + name,
                key -> new TrafficCounters(registry, "haproxy.frontend", Tags.of("proxy", name), TrafficCounters.Kind.FRONTEND));
    }

    /** Accepted client connections of a frontend. */
    public Counter frontendConnections(String name) {
        return Counter.builder("haproxy.frontend.connections").tags("proxy", name)
                .description("Client connections accepted").register(registry);
    }

    public TrafficCounters backend(String name) {
        return counters.computeIfAbsent("backend\0" + name,
                key -> new TrafficCounters(registry, "haproxy.backend", Tags.of("proxy", name), TrafficCounters.Kind.BACKEND));
    }

    public TrafficCounters server(String backend, String server) {
        return counters.computeIfAbsent("server\0" + backend + "\0" + server,
                key -> new TrafficCounters(registry, "haproxy.server", Tags.of("proxy", backend, "server", server),
                        TrafficCounters.Kind.SERVER));
    }

    /**
     * Removes every series of a server removed at run time (its traffic counters and any other
     * meter tagged with it), so that the scrape no longer shows it and a server added later under
     * the same name starts at 0.
     */
    public void removeServer(String backend, String server) {
        counters.remove("server\0" + backend + "\0" + server);
        for (Meter meter : registry.getMeters()) {
            if (backend.equals(meter.getId().getTag("proxy")) && server.equals(meter.getId().getTag("server"))) {
                registry.remove(meter);
            }
        }
    }

    /** Process-wide values read when scraped. */
    public void process(LongSupplier currentConnections, LongSupplier droppedLogLines) {
        Gauge.builder("haproxy.process.current.connections", currentConnections, LongSupplier::getAsLong)
                .description("Client connections open now").register(registry);
        FunctionCounter.builder("luagate.access.log.dropped", droppedLogLines, LongSupplier::getAsLong)
                .description("Access-log lines dropped because the writer fell behind").register(registry);
    }

    /** The script engines' figures, read at each scrape ({@link ScriptMetrics}). */
    public void scripts(java.util.function.Supplier<io.luagate.spi.extension.ScriptStats> stats) {
        registry.getPrometheusRegistry().register(new ScriptMetrics(stats));
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }
}
