package io.luagate.kernel.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.extension.ScriptFunctionStats;
import io.luagate.spi.extension.ScriptStats;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ScriptMetricsTest {

    @Test
    void everyFunctionHasItsSeriesReadAtEachScrape() {
        AtomicReference<ScriptStats> stats = new AtomicReference<>(new ScriptStats(List.of(
                new ScriptFunctionStats("auth", "action", 10, 2, 1, 1_500_000_000L, 4096),
                new ScriptFunctionStats("checks.lua:3", "task", 1, 0, 0, 250_000_000L, -1)), 7, 3_000_000_000L, 900_000_000L));
        Metrics metrics = new Metrics();
        metrics.scripts(stats::get);

        String text = metrics.scrape();
        assertTrue(text.contains("luagate_lua_function_calls_total{function=\"auth\",kind=\"action\"} 10.0"), text);
        assertTrue(text.contains("luagate_lua_function_errors_total{function=\"auth\",kind=\"action\"} 2.0"), text);
        assertTrue(text.contains("luagate_lua_function_timeouts_total{function=\"auth\",kind=\"action\"} 1.0"), text);
        assertTrue(text.contains("luagate_lua_function_run_seconds_total{function=\"auth\",kind=\"action\"} 1.5"), text);
        assertTrue(text.contains("luagate_lua_function_allocated_bytes_total{function=\"auth\",kind=\"action\"} 4096.0"), text);
        assertTrue(text.contains("luagate_lua_function_calls_total{function=\"checks.lua:3\",kind=\"task\"} 1.0"), text);
        // A figure the engine could not count is left out, not shown as 0.
        assertFalse(text.contains("luagate_lua_function_allocated_bytes_total{function=\"checks.lua:3\""), text);
        assertTrue(text.contains("luagate_lua_lock_waits_total 7.0"), text);
        assertTrue(text.contains("luagate_lua_lock_wait_seconds_total 3.0"), text);
        assertTrue(text.contains("luagate_lua_lock_wait_max_seconds 0.9"), text);

        stats.set(new ScriptStats(List.of(new ScriptFunctionStats("auth", "action", 11, 2, 1, 1_500_000_000L, 4096)), 7, 0, 0));
        text = metrics.scrape();
        assertTrue(text.contains("luagate_lua_function_calls_total{function=\"auth\",kind=\"action\"} 11.0"), text);
        assertFalse(text.contains("checks.lua:3"), text);
    }

    @Test
    void twoEnginesWithOneNameAddUp() {
        Metrics metrics = new Metrics();
        ScriptFunctionStats one = new ScriptFunctionStats("f", "fetch", 3, 0, 0, 10, 100);
        metrics.scripts(() -> new ScriptStats(List.of(one), 0, 0, 0).plus(new ScriptStats(List.of(one), 1, 5, 5)));

        String text = metrics.scrape();
        assertTrue(text.contains("luagate_lua_function_calls_total{function=\"f\",kind=\"fetch\"} 6.0"), text);
        assertTrue(text.contains("luagate_lua_lock_waits_total 1.0"), text);
    }

    @Test
    void withoutScriptsNoSeries() {
        Metrics metrics = new Metrics();
        metrics.scripts(() -> ScriptStats.EMPTY);

        String text = metrics.scrape();
        assertFalse(text.contains("luagate_lua"), text);
    }
}
