package io.luagate.plugin.stats;

import io.luagate.spi.health.CheckResult;
import io.luagate.spi.health.CheckStatus;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.TrafficStats;

/**
 * One frontend's or backend's table, as HAProxy draws it: the proxy's name in a title tab, HAProxy's
 * column groups, a row per server colored by its state, then the proxy's own row. Every cell
 * carries {@code data-col} with HAProxy's CSV name of its figure and each row {@code data-row}
 * (proxy, or proxy/server), for tools that read the page.
 */
final class ProxyTable {

    private final RateSampler rates;
    private final long nowMillis;

    /** @param nowMillis the render's clock (epoch ms), against which state ages are shown */
    ProxyTable(RateSampler rates, long nowMillis) {
        this.rates = rates;
        this.nowMillis = nowMillis;
    }

    void frontend(StringBuilder out, Frontend fe, int maxConnections) {
        title(out, "frontend", fe.name());
        head(out, "frontend", fe.name());
        Meter meter = rates.meter(RateSampler.frontendKey(fe.name()));
        Html.text(out.append("<tr class=\"frontend\" data-row=\""), fe.name()).append("\"><td class=\"ac\">Frontend</td>");
        traffic(out, fe.stats(), meter, false, maxConnections > 0 ? Integer.toString(maxConnections) : "");
        cell(out, "status", fe.stopped() ? "STOP" : fe.paused() ? "PAUSED" : "OPEN");
        blanks(out, "check_status", "weight", "act", "bck", "chkfail", "chkdown", "downtime");
        out.append("</tr>\n</table>\n");
    }

    void backend(StringBuilder out, Backend be, PageRequest request) {
        title(out, "backend", be.name());
        head(out, "backend", be.name());
        int active = 0;
        int backup = 0;
        long weight = 0;
        for (Server server : be.servers()) {
            ServerState state = ServerState.of(server);
            if (state.usable()) {
                weight += server.weight();
                if (server.isBackup()) {
                    backup++;
                } else {
                    active++;
                }
            }
            if (request.onlyUp() && state.stopped() || request.noMaint() && state.maint()) {
                continue;
            }
            server(out, be.name(), server, state);
        }
        Html.text(out.append("<tr class=\"backend\" data-row=\""), be.name()).append("\"><td class=\"ac\">Backend</td>");
        traffic(out, be.stats(), rates.meter(RateSampler.backendKey(be.name())), true, "");
        cell(out, "status", active + backup > 0 ? "UP" : "DOWN");
        cell(out, "check_status", "");
        cell(out, "weight", Long.toString(weight));
        cell(out, "act", Integer.toString(active));
        cell(out, "bck", Integer.toString(backup));
        blanks(out, "chkfail", "chkdown", "downtime");
        out.append("</tr>\n</table>\n");
    }

    private void server(StringBuilder out, String backend, Server server, ServerState state) {
        out.append("<tr class=\"").append(state.row()).append("\" data-row=\"");
        Html.text(out, backend).append('/');
        Html.text(out, server.name()).append("\"><td class=\"ac\">");
        Html.text(out, server.name()).append("</td>");
        traffic(out, server.stats(), rates.meter(RateSampler.serverKey(backend, server.name())), true, "");
        // HAProxy's Status cell: how long the server has been in this state, then the state.
        long since = server.lastChangeMillis();
        out.append("<td data-col=\"status\">");
        if (since > 0) {
            out.append("<span data-col=\"lastchg\">").append(HumanTime.of(nowMillis - since)).append("</span> ");
        }
        Html.text(out.append("<span data-col=\"state\">"), state.status()).append("</span></td>");
        lastCheck(out, server);
        cell(out, "weight", Integer.toString(server.weight()));
        cell(out, "act", server.isBackup() ? "-" : "Y");
        cell(out, "bck", server.isBackup() ? "Y" : "-");
        boolean checked = server.checkState().checked();
        cell(out, "chkfail", checked ? Long.toString(server.checkState().failedChecks()) : "");
        cell(out, "chkdown", Long.toString(server.downTransitions()));
        cell(out, "downtime", checked || server.downtimeMillis() > 0 ? HumanTime.of(server.downtimeMillis()) : "");
        out.append("</tr>\n");
    }

    /** HAProxy's LastChk: "L7STS/500 in 2ms", the check's info as the cell's tooltip; empty without checks. */
    private static void lastCheck(StringBuilder out, Server server) {
        if (!server.checkState().checked()) {
            cell(out, "check_status", "");
            return;
        }
        CheckResult last = server.checkState().last();
        StringBuilder text = new StringBuilder();
        if (last.status() == CheckStatus.INI || last.status() == CheckStatus.UNK) {
            text.append("* ");
        }
        text.append(last.status().code());
        if (last.code() > 0) {
            text.append('/').append(last.code());
        }
        if (last.durationMillis() >= 0) {
            text.append(" in ").append(last.durationMillis()).append("ms");
        }
        String tip = last.status().description() + (last.info().isEmpty() ? "" : ": " + last.info());
        Html.text(out.append("<td data-col=\"check_status\" title=\""), tip).append("\">");
        Html.text(out, text.toString()).append("</td>");
    }

    private static void title(StringBuilder out, String kind, String name) {
        String id = kind + "-" + name;
        out.append("<table class=\"tbl title\"><tr><th class=\"pxname\">");
        Html.text(out.append("<a class=\"px\" id=\""), id).append("\" href=\"#");
        Html.text(out, id).append("\">");
        Html.text(out, name).append("</a></th><th class=\"kind\">").append(kind).append("</th></tr></table>\n");
    }

    private static void head(StringBuilder out, String kind, String name) {
        Html.text(out.append("<table class=\"tbl\" data-proxy=\""), name).append("\" data-kind=\"").append(kind).append("\">\n")
                .append("<tr class=\"titre\"><th rowspan=\"2\"></th><th colspan=\"3\">Session rate</th>"
                        + "<th colspan=\"4\">Sessions</th><th colspan=\"2\">Bytes</th><th colspan=\"3\">Errors</th>"
                        + "<th colspan=\"8\">Server</th></tr>\n"
                        + "<tr class=\"titre\"><th>Cur</th><th>Max</th><th>Limit</th>"
                        + "<th>Cur</th><th>Max</th><th>Limit</th><th>Total</th><th>In</th><th>Out</th>"
                        + "<th>Req</th><th>Conn</th><th>Resp</th>"
                        + "<th>Status</th><th>LastChk</th><th>Wght</th><th>Act</th><th>Bck</th>"
                        + "<th>Chk</th><th>Dwn</th><th>Dwntme</th></tr>\n");
    }

    /** Session rate, sessions, bytes and errors; connect and response errors belong to backends and servers. */
    private static void traffic(StringBuilder out, TrafficStats stats, Meter meter, boolean serverSide, String limit) {
        cell(out, "rate", Long.toString(meter.rate()));
        cell(out, "rate_max", Long.toString(meter.maxRate()));
        cell(out, "rate_lim", "");
        cell(out, "scur", Long.toString(stats.currentSessions()));
        cell(out, "smax", Long.toString(meter.maxCurrent(stats.currentSessions())));
        cell(out, "slim", limit);
        if (stats.httpRequests() > 0) {
            // HAProxy's tooltip on the total: the HTTP requests and responses by class.
            String tip = "HTTP requests: %d, 1xx: %d, 2xx: %d, 3xx: %d, 4xx: %d, 5xx: %d, other: %d".formatted(
                    stats.httpRequests(), stats.http1xx(), stats.http2xx(), stats.http3xx(), stats.http4xx(),
                    stats.http5xx(), stats.httpOther());
            out.append("<td data-col=\"stot\" title=\"").append(tip).append("\">").append(stats.totalSessions()).append("</td>");
        } else {
            cell(out, "stot", Long.toString(stats.totalSessions()));
        }
        cell(out, "bin", Long.toString(stats.bytesIn()));
        cell(out, "bout", Long.toString(stats.bytesOut()));
        cell(out, "ereq", serverSide ? "" : Long.toString(stats.requestErrors()));
        cell(out, "econ", serverSide ? Long.toString(stats.connectErrors()) : "");
        cell(out, "eresp", serverSide ? Long.toString(stats.responseErrors()) : "");
    }

    private static void blanks(StringBuilder out, String... columns) {
        for (String column : columns) {
            cell(out, column, "");
        }
    }

    static void cell(StringBuilder out, String column, String text) {
        out.append("<td data-col=\"").append(column).append("\">");
        Html.text(out, text).append("</td>");
    }
}
