package io.luagate.plugin.stats;

import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.TrafficStats;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Samples every proxy's and server's counters once a second, on one event loop (reading counters
 * only: no lock, no I/O), into their {@link Meter}s. Proxies are looked up at each sample, so a
 * proxy that appears later (a reload, a server added) gets its meter from then on.
 */
final class RateSampler {

    private final Map<String, Meter> meters = new ConcurrentHashMap<>();
    private final Supplier<Map<String, Frontend>> frontends;
    private final Supplier<Map<String, Backend>> backends;
    private ScheduledFuture<?> task;

    RateSampler(Supplier<Map<String, Frontend>> frontends, Supplier<Map<String, Backend>> backends) {
        this.frontends = frontends;
        this.backends = backends;
    }

    void start(EventLoop loop) {
        sample();
        task = loop.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    void sample() {
        frontends.get().forEach((name, fe) -> take(frontendKey(name), fe.stats()));
        backends.get().forEach((name, be) -> {
            take(backendKey(name), be.stats());
            for (Server server : be.servers()) {
                take(serverKey(name, server.name()), server.stats());
            }
        });
    }

    private void take(String key, TrafficStats stats) {
        meters.computeIfAbsent(key, k -> new Meter()).sample(stats.totalSessions(), stats.currentSessions());
    }

    /** The meter of {@code key}; a fresh one (all 0) before its first sample. */
    Meter meter(String key) {
        Meter meter = meters.get(key);
        return meter == null ? new Meter() : meter;
    }

    static String frontendKey(String name) {
        return "f/" + name;
    }

    static String backendKey(String name) {
        return "b/" + name;
    }

    static String serverKey(String backend, String server) {
        return "s/" + backend + "/" + server;
    }
}
