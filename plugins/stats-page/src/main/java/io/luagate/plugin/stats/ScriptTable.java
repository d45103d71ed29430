package io.luagate.plugin.stats;

import io.luagate.spi.extension.ScriptFunctionStats;
import io.luagate.spi.extension.ScriptStats;
import java.util.Locale;

/**
 * The Lua table: one row per registered function (calls, errors, timeouts, Lua run time, bytes
 * allocated), and the time calls waited for the shared state's lock ({@code lua.load}). Nothing
 * when no script registered anything.
 */
final class ScriptTable {

    private ScriptTable() {
    }

    static void write(StringBuilder out, ScriptStats stats) {
        if (stats.functions().isEmpty() && stats.lockWaits() == 0) {
            return;
        }
        out.append("<table class=\"tbl title\"><tr><th class=\"pxname\"><a class=\"px\" id=\"lua\" href=\"#lua\">Lua</a></th>"
                + "<th class=\"kind\">registered functions</th></tr></table>\n"
                + "<table class=\"tbl\" data-proxy=\"lua\" data-kind=\"lua\">\n<tr class=\"titre\"><th>Function</th><th>Kind</th>"
                + "<th>Calls</th><th>Errors</th><th>Timeouts</th><th>Run time</th><th>Per call</th><th>Allocated</th></tr>\n");
        for (ScriptFunctionStats function : stats.functions()) {
            Html.text(out.append("<tr class=\"frontend\" data-row=\"lua/"), function.kind()).append('/');
            Html.text(out, function.name()).append("\">");
            Html.text(out.append("<td class=\"al\" data-col=\"name\">"), function.name()).append("</td>");
            ProxyTable.cell(out, "kind", function.kind());
            ProxyTable.cell(out, "calls", Long.toString(function.calls()));
            ProxyTable.cell(out, "errors", Long.toString(function.errors()));
            ProxyTable.cell(out, "timeouts", Long.toString(function.timeouts()));
            ProxyTable.cell(out, "run_time", millis(function.runNanos()));
            ProxyTable.cell(out, "per_call", function.calls() == 0 ? "" : micros(function.runNanos() / function.calls()));
            ProxyTable.cell(out, "allocated", function.allocatedBytes() < 0 ? "-" : bytes(function.allocatedBytes()));
            out.append("</tr>\n");
        }
        out.append("</table>\n<p class=\"lock\" id=\"lua-lock\">Shared state (lua.load) lock: <span data-col=\"lock_waits\">")
                .append(stats.lockWaits()).append("</span> waits, <span data-col=\"lock_wait\">").append(millis(stats.lockWaitNanos()))
                .append("</span> in total, longest <span data-col=\"lock_wait_max\">").append(millis(stats.maxLockWaitNanos()))
                .append("</span></p>\n");
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    }

    private static String bytes(long bytes) {
        if (bytes < 10_000) {
            return bytes + " B";
        }
        if (bytes < 10_000_000) {
            return bytes / 1024 + " kB";
        }
        return bytes / (1024 * 1024) + " MB";
    }
}
