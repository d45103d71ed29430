package io.luagate.kernel.metrics;

import io.luagate.spi.health.CheckStatus;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The process's meters, named after HAProxy's Prometheus exporter ({@code haproxy_frontend_...},
 * {@code haproxy_backend_...}, {@code haproxy_server_...}, {@code haproxy_process_...}) so that
 * existing dashboards keep working; luagate's own are {@code luagate_...}.
 *
 * <p>The registry (Micrometer and the Prometheus client: some 200 classes, about 1.2 MB of
 * metaspace) is made at the first scrape. Until then each meter's registration is kept and
 * replayed then, in order, so that a scrape shows the same series with the same values as if
 * they had been registered at once: every meter reads counters kept outside the registry.
 */
public final class Metrics {

    /** Made by {@link #registry()}; guarded by {@code this}. */
    private PrometheusMeterRegistry registry;
    /** Registrations waiting for the registry, in order; guarded by {@code this}. */
    private final List<Pending> pending = new ArrayList<>();
    private final Map<String, ConnectionCount> connections = new ConcurrentHashMap<>();
    /**
     * The counters of each proxy and server by name, made once per process: a reload's new
     * generation counts on where the old one left (continuity for Prometheus' rates), and the
     * sessions gauge counts the connections of both generations.
     */
    private final Map<String, TrafficCounters> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ServerHolder> serverHolders = new ConcurrentHashMap<>();

    public TrafficCounters frontend(String name) {
        return counters.computeIfAbsent("frontend\0" + name, key -> {
            TrafficCounters made = new TrafficCounters(TrafficCounters.Kind.FRONTEND);
            register(null, null, r -> made.register(r, "haproxy.frontend", Tags.of("proxy", name)));
            return made;
        });
    }

    /** Accepted client connections of a frontend. */
    public ConnectionCount frontendConnections(String name) {
        return connections.computeIfAbsent(name, key -> {
            ConnectionCount made = new ConnectionCount();
            register(null, null, r -> FunctionCounter.builder("haproxy.frontend.connections", made, ConnectionCount::count)
                    .tags("proxy", name).description("Client connections accepted").register(r));
            return made;
        });
    }

    public TrafficCounters backend(String name) {
        return counters.computeIfAbsent("backend\0" + name, key -> {
            TrafficCounters made = new TrafficCounters(TrafficCounters.Kind.BACKEND);
            register(null, null, r -> made.register(r, "haproxy.backend", Tags.of("proxy", name)));
            return made;
        });
    }

    public TrafficCounters server(String backend, String server) {
        return counters.computeIfAbsent("server\0" + backend + "\0" + server, key -> {
            TrafficCounters made = new TrafficCounters(TrafficCounters.Kind.SERVER);
            register(backend, server, r -> made.register(r, "haproxy.server", Tags.of("proxy", backend, "server", server)));
            return made;
        });
    }

    /**
     * Removes every series of a server removed at run time (its traffic counters and any other
     * meter tagged with it), so that the scrape no longer shows it and a server added later under
     * the same name starts at 0.
     */
    public void removeServer(String backend, String server) {
        counters.remove("server\0" + backend + "\0" + server);
        // Its state gauges go with it, so that a server added later under the name registers them again.
        serverHolders.remove(backend + "/" + server);
        // Not under the maps' locks: frontend(), backend() and server() register while holding them.
        synchronized (this) {
            if (registry == null) {
                pending.removeIf(p -> backend.equals(p.backend()) && server.equals(p.server()));
                return;
            }
            for (Meter meter : registry.getMeters()) {
                if (backend.equals(meter.getId().getTag("proxy")) && server.equals(meter.getId().getTag("server"))) {
                    registry.remove(meter);
                }
            }
        }
    }

    /**
     * A server's state and checks, read when scraped, with the names and labels of HAProxy 2.6's
     * exporter: {@code haproxy_server_status{state="UP"}} (one line per state, 1 for the current
     * one), and for a checked server {@code haproxy_server_check_status{state="L7STS"}},
     * {@code haproxy_server_check_code}, {@code haproxy_server_check_duration_seconds},
     * {@code haproxy_server_check_failures_total}, {@code haproxy_server_check_up_down_total},
     * {@code haproxy_server_check_last_change_seconds}, {@code haproxy_server_downtime_seconds_total}.
     */
    public void serverHealth(String backend, Server server) {
        // A configuration built again (a reload) brings new server objects under the same names:
        // the meters stay registered and read whichever server is current.
        ServerHolder holder = serverHolders.computeIfAbsent(backend + "/" + server.name(), k -> new ServerHolder());
        boolean first = holder.server == null;
        holder.server = server;
        if (first) {
            register(backend, server.name(), r -> stateMeters(r, holder, backend, server.name()));
        }
        if (!server.checkSettings().check() || holder.checked) {
            return;
        }
        holder.checked = true;
        register(backend, server.name(), r -> checkMeters(r, holder, backend, server.name()));
    }

    /** A server's state meters: read whichever server object is current for the name. */
    private static void stateMeters(PrometheusMeterRegistry registry, ServerHolder holder, String backend, String server) {
        Tags tags = Tags.of("proxy", backend, "server", server);
        for (String state : List.of("DOWN", "UP", "MAINT", "DRAIN", "NOLB")) {
            Gauge.builder("haproxy.server.status", holder, h -> exporterState(h.server).equals(state) ? 1 : 0)
                    .tags(tags.and("state", state)).strongReference(true)
                    .description("Current status of the service, per state label value.").register(registry);
        }
        FunctionCounter.builder("haproxy.server.check.up.down", holder, h -> h.server.downTransitions()).tags(tags)
                .description("Total number of failed checks causing UP to DOWN server transitions").register(registry);
        Gauge.builder("haproxy.server.check.last.change.seconds", holder,
                        h -> Math.max(0, System.currentTimeMillis() - h.server.lastChangeMillis()) / 1000)
                .tags(tags).strongReference(true)
                .description("How long ago the last server state changed, in seconds").register(registry);
    }

    /** A checked server's check meters. */
    private static void checkMeters(PrometheusMeterRegistry registry, ServerHolder holder, String backend, String server) {
        Tags tags = Tags.of("proxy", backend, "server", server);
        FunctionCounter.builder("haproxy.server.check.failures", holder, h -> h.server.checkState().failedChecks()).tags(tags)
                .description("Total number of failed individual health checks").register(registry);
        FunctionCounter.builder("haproxy.server.downtime.seconds", holder, h -> h.server.downtimeMillis() / 1000).tags(tags)
                .description("Total time spent in DOWN state").register(registry);
        for (CheckStatus status : CheckStatus.values()) {
            if (status.result() == CheckStatus.Result.UNKNOWN) {
                continue;
            }
            Gauge.builder("haproxy.server.check.status", holder, h -> h.server.checkState().last().status() == status ? 1 : 0)
                    .tags(tags.and("state", status.code())).strongReference(true)
                    .description("Status of last health check, per state label value.").register(registry);
        }
        Gauge.builder("haproxy.server.check.code", holder,
                        h -> h.server.checkState().last().hasCode() ? h.server.checkState().last().code() : 0)
                .tags(tags).strongReference(true)
                .description("layer5-7 code, if available of the last health check.").register(registry);
        Gauge.builder("haproxy.server.check.duration.seconds", holder,
                        h -> Math.max(0, h.server.checkState().last().durationMillis()) / 1000.0)
                .tags(tags).strongReference(true)
                .description("Total duration of the latest server health check, in seconds.").register(registry);
    }

    /** The server a backend's name and a server's name stand for now, read by its meters. */
    private static final class ServerHolder {
        volatile Server server;
        volatile boolean checked;
    }

    /** HAProxy's promex_srv_status: MAINT over DRAIN over UP; NOLB; else DOWN. */
    private static String exporterState(Server server) {
        if (server.admin() == ServerAdmin.MAINT) {
            return "MAINT";
        }
        return switch (server.health()) {
            case UP -> server.admin() == ServerAdmin.DRAIN ? "DRAIN" : "UP";
            case NOLB -> "NOLB";
            case DOWN -> "DOWN";
        };
    }

    /** Process-wide values read when scraped. */
    public void process(LongSupplier currentConnections, LongSupplier droppedLogLines) {
        register(null, null, r -> {
            Gauge.builder("haproxy.process.current.connections", currentConnections, LongSupplier::getAsLong)
                    .description("Client connections open now").register(r);
            FunctionCounter.builder("luagate.access.log.dropped", droppedLogLines, LongSupplier::getAsLong)
                    .description("Access-log lines dropped because the writer fell behind").register(r);
        });
    }

    /** The script engines' figures, read at each scrape ({@link ScriptMetrics}). */
    public void scripts(java.util.function.Supplier<io.luagate.spi.extension.ScriptStats> stats) {
        register(null, null, r -> r.getPrometheusRegistry().register(new ScriptMetrics(stats)));
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry().scrape();
    }

    /** Registers now if the registry exists, else at its making; backend and server name what it is tagged with (or null). */
    private synchronized void register(String backend, String server, Consumer<PrometheusMeterRegistry> registration) {
        if (registry != null) {
            registration.accept(registry);
        } else {
            pending.add(new Pending(backend, server, registration));
        }
    }

    private synchronized PrometheusMeterRegistry registry() {
        if (registry == null) {
            PrometheusMeterRegistry made = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            for (Pending p : pending) {
                p.registration().accept(made);
            }
            pending.clear();
            registry = made;
        }
        return registry;
    }

    /** A registration kept until the registry is made; the server's is dropped with the server. */
    private record Pending(String backend, String server, Consumer<PrometheusMeterRegistry> registration) {
    }
}
