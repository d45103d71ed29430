package io.luagate.plugin.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.extension.ScriptFunctionStats;
import io.luagate.spi.extension.ScriptStats;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Lua table from the script engines' figures. */
class ScriptTableTest {

    @Test
    void oneRowPerFunctionWithItsFiguresAndTheLockWaits() {
        StringBuilder out = new StringBuilder();
        ScriptTable.write(out, new ScriptStats(List.of(
                new ScriptFunctionStats("auth<x>", "action", 4, 1, 2, 2_000_000, 123_456),
                new ScriptFunctionStats("checks.lua:12", "task", 0, 0, 0, 0, -1)), 3, 1_500_000, 900_000));
        String html = out.toString();
        assertTrue(html.contains("<tr class=\"frontend\" data-row=\"lua/action/auth&lt;x&gt;\"><td class=\"al\" data-col=\"name\">auth&lt;x&gt;</td>"
                + "<td data-col=\"kind\">action</td><td data-col=\"calls\">4</td><td data-col=\"errors\">1</td>"
                + "<td data-col=\"timeouts\">2</td><td data-col=\"run_time\">2.000 ms</td><td data-col=\"per_call\">500.0 us</td>"
                + "<td data-col=\"allocated\">120 kB</td></tr>"), html);
        assertTrue(html.contains("<td data-col=\"per_call\"></td><td data-col=\"allocated\">-</td>"), html);
        assertTrue(html.contains("<span data-col=\"lock_waits\">3</span> waits, <span data-col=\"lock_wait\">1.500 ms</span>"
                + " in total, longest <span data-col=\"lock_wait_max\">0.900 ms</span>"), html);
    }

    @Test
    void nothingWithoutScripts() {
        StringBuilder out = new StringBuilder();
        ScriptTable.write(out, ScriptStats.EMPTY);
        assertEquals("", out.toString());
    }
}
