package io.luagate.kernel.extension;

import io.luagate.spi.extension.ProcessInfo;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.proxy.TrafficStats;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The kernel's {@link ProcessInfo}: the start time is the JVM's (so that it does not move across
 * reloads), the figures are summed over the frontends the supplier gives now (the current
 * generation's, once reloads exist).
 */
public final class KernelProcessInfo implements ProcessInfo {

    private static final Properties BUILD = build();

    private final int threads;
    private final int maxConnections;
    private final Supplier<Map<String, ? extends Frontend>> frontends;
    private final BooleanSupplier stopping;
    // The process's, from the OS: java.lang.management would give the same instant but load some 40
    // classes of JMX for the process's life.
    private final Instant start = ProcessHandle.current().info().startInstant().orElseGet(Instant::now);
    private final String node = hostName();

    public KernelProcessInfo(int threads, int maxConnections, Supplier<Map<String, ? extends Frontend>> frontends,
                             BooleanSupplier stopping) {
        this.threads = threads;
        this.maxConnections = maxConnections;
        this.frontends = frontends;
        this.stopping = stopping;
    }

    private static Properties build() {
        Properties properties = new Properties();
        try (InputStream in = KernelProcessInfo.class.getResourceAsStream("/io/luagate/kernel/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // An unreadable resource reads as an unknown build.
        }
        return properties;
    }

    private static String property(String key) {
        String value = BUILD.getProperty(key);
        return value == null || value.isBlank() || value.startsWith("${") ? null : value;
    }

    private static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name != null && !name.isBlank()) {
            return name;
        }
        try {
            // Read once, at start: a look-up that may wait never happens when a command asks.
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public String version() {
        String version = property("version");
        return version == null ? "unknown" : version;
    }

    @Override
    public String releaseDate() {
        String date = property("build-date");
        return date == null ? "" : date;
    }

    @Override
    public Instant startTime() {
        return start;
    }

    @Override
    public long uptimeMillis() {
        return Math.max(0, System.currentTimeMillis() - start.toEpochMilli());
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public int maxConnections() {
        return maxConnections;
    }

    @Override
    public long currentConnections() {
        long sum = 0;
        for (Frontend frontend : frontends.get().values()) {
            sum += frontend.stats().currentSessions();
        }
        return sum;
    }

    @Override
    public long totalConnections() {
        long sum = 0;
        for (Frontend frontend : frontends.get().values()) {
            sum += frontend.stats().totalSessions();
        }
        return sum;
    }

    @Override
    public long totalRequests() {
        long sum = 0;
        for (Frontend frontend : frontends.get().values()) {
            TrafficStats stats = frontend.stats();
            sum += stats.httpRequests();
        }
        return sum;
    }

    @Override
    public boolean stopping() {
        return stopping.getAsBoolean();
    }

    @Override
    public String node() {
        return node;
    }
}
