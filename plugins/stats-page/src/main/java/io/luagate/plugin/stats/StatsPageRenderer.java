package io.luagate.plugin.stats;

import io.luagate.spi.extension.ScriptStats;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import java.util.Collection;

/**
 * Writes the page: the process summary, one table per frontend and per backend (with its
 * servers, see {@link ProxyTable}), and the Lua functions' figures, in one self-contained HTML
 * document (inline CSS, no script, no outside resource). Every name is escaped.
 */
final class StatsPageRenderer {

    private final RateSampler rates;

    StatsPageRenderer(RateSampler rates) {
        this.rates = rates;
    }

    String render(ProcessSummary process, Collection<? extends Frontend> frontends, Collection<? extends Backend> backends,
                  ScriptStats scripts, PageRequest request, int refreshSeconds, long nowMillis) {
        StringBuilder out = new StringBuilder(8192);
        out.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>Statistics Report for luagate");
        if (!process.node().isEmpty()) {
            Html.text(out.append(" on "), process.node());
        }
        out.append("</title>\n<link rel=\"icon\" href=\"data:,\">\n<style>\n").append(StatsPageStyle.CSS).append("</style></head>\n<body>\n");
        header(out, process);
        general(out, process, request, refreshSeconds);
        status(out, request);
        ProxyTable tables = new ProxyTable(rates, nowMillis);
        for (Frontend fe : frontends) {
            tables.frontend(out, fe, process.maxConnections());
        }
        for (Backend be : backends) {
            tables.backend(out, be, request);
        }
        ScriptTable.write(out, scripts);
        out.append("</body></html>\n");
        return out.toString();
    }

    private static void header(StringBuilder out, ProcessSummary process) {
        out.append("<h1>luagate");
        if (process.version() != null) {
            Html.text(out.append(" <span class=\"version\">version "), process.version());
            if (!process.releaseDate().isEmpty()) {
                Html.text(out.append(", released "), process.releaseDate());
            }
            out.append("</span>");
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
        out.append("<b>maxconn = </b><span data-info=\"maxconn\">").append(process.maxConnections()).append("</span><br>\n");
        out.append("<b>current conns = </b><span data-info=\"connections\">").append(process.connections())
                .append("</span>; <b>total conns = </b><span data-info=\"total_connections\">").append(process.totalConnections())
                .append("</span>; <b>total requests = </b><span data-info=\"total_requests\">").append(process.totalRequests())
                .append("</span><br>\n");
        if (process.stopping()) {
            out.append("<b>stopping</b>: draining connections before exit<br>\n");
        }
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

}
