package io.luagate.kernel.metrics;

import io.luagate.spi.extension.ScriptFunctionStats;
import io.luagate.spi.extension.ScriptStats;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The script engines' figures ({@link ScriptStats}) in the Prometheus exposition, read at each
 * scrape: one series per registered function ({@code function} and {@code kind} labels) and the
 * shared Lua state's lock waits. Registered functions change with the scripts, so the series are
 * made from the report of the moment rather than registered once as meters.
 */
final class ScriptMetrics implements MultiCollector {

    private static final double NANOS = 1e9;

    private final Supplier<ScriptStats> stats;

    ScriptMetrics(Supplier<ScriptStats> stats) {
        this.stats = stats;
    }

    @Override
    public MetricSnapshots collect() {
        ScriptStats now = stats.get();
        if (now.functions().isEmpty() && now.lockWaits() == 0) {
            // No scripts (or accounting off and no wait yet): no series at all rather than zeros.
            return MetricSnapshots.of();
        }
        return MetricSnapshots.of(
                perFunction(now, "luagate_lua_function_calls", "Calls of a registered Lua function", f -> f.calls(), 1),
                perFunction(now, "luagate_lua_function_errors",
                        "Calls of a registered Lua function that ended in an error (timeouts not included)",
                        f -> f.errors(), 1),
                perFunction(now, "luagate_lua_function_timeouts",
                        "Calls of a registered Lua function ended by a Lua timeout", f -> f.timeouts(), 1),
                perFunction(now, "luagate_lua_function_run_seconds",
                        "Time a registered Lua function ran on its event loop (wall clock of its slices; sleeps and "
                                + "I/O waits excluded)", f -> f.runNanos(), NANOS),
                perFunction(now, "luagate_lua_function_allocated_bytes",
                        "Bytes a registered Lua function allocated, estimated from one call in "
                                + ScriptFunctionStats.ALLOCATION_SAMPLE, f -> f.allocatedBytes(), 1),
                CounterSnapshot.builder().name("luagate_lua_lock_waits")
                        .help("Lua calls that waited for the shared state's lock (lua.load)")
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(now.lockWaits()).build())
                        .build(),
                CounterSnapshot.builder().name("luagate_lua_lock_wait_seconds")
                        .help("Time Lua calls waited for the shared state's lock (lua.load)")
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                                .value(now.lockWaitNanos() / NANOS).build())
                        .build(),
                GaugeSnapshot.builder().name("luagate_lua_lock_wait_max_seconds")
                        .help("The longest wait of a Lua call for the shared state's lock (lua.load)")
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                                .value(now.maxLockWaitNanos() / NANOS).build())
                        .build());
    }

    /**
     * One counter with a series per function; a function whose figure is unknown (-1) has none.
     * Two engines may register the same name and kind: their figures add up in one series, since
     * a scrape must not carry two with the same labels.
     */
    private static CounterSnapshot perFunction(ScriptStats stats, String name, String help,
                                               ToLongFunction<ScriptFunctionStats> figure, double unit) {
        Map<List<String>, Long> series = new LinkedHashMap<>();
        for (ScriptFunctionStats function : stats.functions()) {
            long value = figure.applyAsLong(function);
            if (value >= 0) {
                series.merge(List.of(function.name(), function.kind()), value, Long::sum);
            }
        }
        CounterSnapshot.Builder counter = CounterSnapshot.builder().name(name).help(help);
        series.forEach((labels, value) -> counter.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of("function", labels.get(0), "kind", labels.get(1)))
                .value(value / unit)
                .build()));
        return counter.build();
    }
}
