package io.luagate.plugin.stats;

import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.TrafficStats;
import java.util.Collection;

/**
 * Writes the page: one table per frontend and per backend (with its servers), HAProxy's colors
 * and column groups, in one self-contained HTML document (inline CSS, no script, no outside
 * resource). Every name is escaped. Each cell carries {@code data-col} with HAProxy's CSV name of
 * its figure, and each row {@code data-row} (proxy, or proxy/server), for tools that read the page.
 */
final class StatsPageRenderer {

    private final RateSampler rates;

    StatsPageRenderer(RateSampler rates) {
        this.rates = rates;
    }

    String render(ProcessSummary process, Collection<? extends Frontend> frontends, Collection<? extends Backend> backends,
                  PageRequest request, int refreshSeconds) {
        StringBuilder out = new StringBuilder(8192);
        out.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>Statistics Report for luagate");
        if (!process.node().isEmpty()) {
            Html.text(out.append(" on "), process.node());
        }
        out.append("</title>\n<link rel=\"icon\" href=\"data:,\">\n<style>\n").append(StatsPageStyle.CSS).append("</style></head>\n<body>\n");
        header(out, process);
        general(out, process, request, refreshSeconds);
        status(out, request);
        for (Frontend fe : frontends) {
            frontend(out, fe);
        }
        for (Backend be : backends) {
            backend(out, be, request);
        }
        out.append("</body></html>\n");
        return out.toString();
    }

    private static void header(StringBuilder out, ProcessSummary process) {
        out.append("<h1>luagate");
        if (process.version() != null) {
            Html.text(out.append(" <span class=\"version\">version "), process.version()).append("</span>");
        }
        out.append("</h1>\n<h2>Statistics Report for pid ").append(process.pid());
        if (!process.node().isEmpty()) {
            Html.text(out.append(" on "), process.node());
        }
        out.append("</h2>\n");
        if (!process.description().isEmpty()) {
            Html.text(out.append("<p class=\"desc\">"), process.description()).append("</p>\n");
        }
    }

    private static void general(StringBuilder out, ProcessSummary process, PageRequest request, int refreshSeconds) {
        out.append("<hr><h3>&gt; General process information</h3>\n<table class=\"gen\"><tr><td class=\"info\" id=\"process\">\n");
        out.append("<b>pid = </b><span data-info=\"pid\">").append(process.pid()).append("</span> (nbthread = <span data-info=\"threads\">")
                .append(process.threads()).append("</span>)<br>\n");
        out.append("<b>uptime = </b><span data-info=\"uptime\">").append(process.uptime()).append("</span><br>\n");
        out.append("<b>current conns = </b><span data-info=\"connections\">").append(process.connections()).append("</span><br>\n");
        if (refreshSeconds > 0 && request.refresh()) {
            out.append("<b>refresh = </b>every ").append(refreshSeconds).append(" s<br>\n");
        }
        out.append("</td><td>\n<table class=\"lgd\">\n");
        legend(out, "active_up", "active UP", "backup_up", "backup UP");
        legend(out, "active_going_down", "active UP, going down", "backup_going_down", "backup UP, going down");
        legend(out, "active_going_up", "active DOWN, going up", "backup_going_up", "backup DOWN, going up");
        legend(out, "active_down", "active or backup DOWN", "active_no_check", "not checked");
        legend(out, "maintain", "active or backup DOWN for maintenance (MAINT)", "active_draining", "active or backup SOFT STOPPED for maintenance");
        out.append("</table>\n</td><td class=\"options\"><b>Display option:</b><ul>\n");
        String keep = request.options("");
        if (request.onlyUp()) {
            link(out, request.link(request.options(";up")), "Show all servers");
        } else {
            link(out, request.link(keep + ";up"), "Hide 'DOWN' servers");
        }
        if (request.noMaint()) {
            link(out, request.link(request.options(";no-maint")), "Show 'MAINT' servers");
        } else {
            link(out, request.link(keep + ";no-maint"), "Hide 'MAINT' servers");
        }
        if (refreshSeconds > 0) {
            if (request.refresh()) {
                link(out, request.link(keep + ";norefresh"), "Disable refresh");
            } else {
                link(out, request.link(request.options(";norefresh")), "Enable refresh");
            }
        }
        link(out, request.link(keep), "Refresh now");
        out.append("</ul></td></tr></table>\n");
    }

    private static void legend(StringBuilder out, String class1, String text1, String class2, String text2) {
        out.append("<tr><td class=\"").append(class1).append("\"></td><td class=\"noborder\">").append(text1)
                .append("</td><td class=\"").append(class2).append("\"></td><td class=\"noborder\">").append(text2)
                .append("</td></tr>\n");
    }

    private static void link(StringBuilder out, String href, String text) {
        Html.text(out.append("<li><a href=\""), href).append("\">").append(text).append("</a></li>\n");
    }

    private static void status(StringBuilder out, PageRequest request) {
        if (request.status() == null) {
            return;
        }
        String message = switch (request.status()) {
            case "DENY" -> "Action denied: this page takes no admin action.";
            default -> "Unexpected result.";
        };
        Html.text(out.append("<p class=\"message\" id=\"message\">"), message).append(" <a href=\"")
                .append(Html.escape(request.link(request.options("")))).append("\">[X]</a></p>\n");
    }

    private static void proxyTitle(StringBuilder out, String kind, String name) {
        String id = kind + "-" + name;
        out.append("<table class=\"tbl title\"><tr><th class=\"pxname\">");
        Html.text(out.append("<a class=\"px\" id=\""), id).append("\" href=\"#");
        Html.text(out, id).append("\">");
        Html.text(out, name).append("</a></th><th class=\"kind\">").append(kind).append("</th></tr></table>\n");
    }

    private static void tableHead(StringBuilder out, String kind, String name) {
        Html.text(out.append("<table class=\"tbl\" data-proxy=\""), name).append("\" data-kind=\"").append(kind).append("\">\n")
                .append("<tr class=\"titre\"><th rowspan=\"2\"></th><th colspan=\"3\">Session rate</th>"
                        + "<th colspan=\"4\">Sessions</th><th colspan=\"2\">Bytes</th><th colspan=\"3\">Errors</th>"
                        + "<th colspan=\"5\">Server</th></tr>\n"
                        + "<tr class=\"titre\"><th>Cur</th><th>Max</th><th>Limit</th>"
                        + "<th>Cur</th><th>Max</th><th>Limit</th><th>Total</th><th>In</th><th>Out</th>"
                        + "<th>Req</th><th>Conn</th><th>Resp</th>"
                        + "<th>Status</th><th>LastChk</th><th>Wght</th><th>Act</th><th>Bck</th></tr>\n");
    }

    private void frontend(StringBuilder out, Frontend fe) {
        proxyTitle(out, "frontend", fe.name());
        tableHead(out, "frontend", fe.name());
        TrafficStats stats = fe.stats();
        Meter meter = rates.meter(RateSampler.frontendKey(fe.name()));
        String status = fe.stopped() ? "STOP" : fe.paused() ? "PAUSED" : "OPEN";
        Html.text(out.append("<tr class=\"frontend\" data-row=\""), fe.name()).append("\"><td class=\"ac\">Frontend</td>");
        traffic(out, stats, meter, false);
        cell(out, "status", status);
        cell(out, "check_status", "");
        cell(out, "weight", "");
        cell(out, "act", "");
        cell(out, "bck", "");
        out.append("</tr>\n</table>\n");
    }

    private void backend(StringBuilder out, Backend be, PageRequest request) {
        proxyTitle(out, "backend", be.name());
        tableHead(out, "backend", be.name());
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
        traffic(out, be.stats(), rates.meter(RateSampler.backendKey(be.name())), true);
        cell(out, "status", active + backup > 0 ? "UP" : "DOWN");
        cell(out, "check_status", "");
        cell(out, "weight", Long.toString(weight));
        cell(out, "act", Integer.toString(active));
        cell(out, "bck", Integer.toString(backup));
        out.append("</tr>\n</table>\n");
    }

    private void server(StringBuilder out, String backend, Server server, ServerState state) {
        out.append("<tr class=\"").append(state.row()).append("\" data-row=\"");
        Html.text(out, backend).append('/');
        Html.text(out, server.name()).append("\"><td class=\"ac\">");
        Html.text(out, server.name()).append("</td>");
        traffic(out, server.stats(), rates.meter(RateSampler.serverKey(backend, server.name())), true);
        cell(out, "status", state.status());
        cell(out, "check_status", "");
        cell(out, "weight", Integer.toString(server.weight()));
        cell(out, "act", server.isBackup() ? "-" : "Y");
        cell(out, "bck", server.isBackup() ? "Y" : "-");
        out.append("</tr>\n");
    }

    /** Session rate, sessions, bytes and errors; connect and response errors belong to backends and servers. */
    private static void traffic(StringBuilder out, TrafficStats stats, Meter meter, boolean serverSide) {
        cell(out, "rate", Long.toString(meter.rate()));
        cell(out, "rate_max", Long.toString(meter.maxRate()));
        cell(out, "rate_lim", "");
        cell(out, "scur", Long.toString(stats.currentSessions()));
        cell(out, "smax", Long.toString(meter.maxCurrent(stats.currentSessions())));
        cell(out, "slim", "");
        cell(out, "stot", Long.toString(stats.totalSessions()));
        cell(out, "bin", Long.toString(stats.bytesIn()));
        cell(out, "bout", Long.toString(stats.bytesOut()));
        cell(out, "ereq", serverSide ? "" : Long.toString(stats.requestErrors()));
        cell(out, "econ", serverSide ? Long.toString(stats.connectErrors()) : "");
        cell(out, "eresp", serverSide ? Long.toString(stats.responseErrors()) : "");
    }

    private static void cell(StringBuilder out, String column, String text) {
        out.append("<td data-col=\"").append(column).append("\">");
        Html.text(out, text).append("</td>");
    }
}
