package io.luagate.plugin.runtimeapi;

import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.extension.ProcessInfo;
import io.luagate.spi.proxy.Frontend;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * {@code show info}, {@code show version}, {@code show backend}, {@code show stat},
 * {@code show servers state}: what describes the process and its proxies.
 */
final class InfoCommands {

    private final ExtensionRuntime runtime;
    private final StatCsv stat;
    private final ServersState serversState;

    InfoCommands(ExtensionRuntime runtime) {
        this.runtime = runtime;
        this.stat = new StatCsv(runtime);
        this.serversState = new ServersState(runtime);
    }

    void register(CommandTable table) {
        table.add("show backend", "show backend                            : list backends in the current running config",
                        r -> showBackend())
                .add("show info", "show info [desc|json|typed|float]*      : report information about the running process",
                        r -> showInfo())
                .add("show servers state", "show servers state [<backend>]          : dump volatile server information (all or for a single backend)",
                        serversState::run)
                .add("show stat", "show stat [desc|json|no-maint|typed|up]*: report counters for each proxy and server",
                        this::showStat)
                .add("show version", "show version                            : show version of the current process",
                        r -> runtime.process().version() + "\n");
    }

    private String showBackend() {
        StringBuilder out = new StringBuilder("# name\n");
        for (String name : runtime.backends().keySet()) {
            out.append(name).append('\n');
        }
        return out.toString();
    }

    private String showStat(Request r) {
        boolean up = false;
        boolean noMaint = false;
        for (int i = 2; i < r.args().size(); i++) {
            switch (r.arg(i)) {
                case "up" -> up = true;
                case "no-maint" -> noMaint = true;
                case "typed", "json", "desc" -> throw new CliError("'show stat " + r.arg(i) + "' is not supported by luagate.\n");
                default -> {
                    // HAProxy reads "<iid> <type> <sid>" filters here; luagate lists everything.
                }
            }
        }
        return stat.render(up, noMaint);
    }

    /** HAProxy's {@code show info} lines luagate knows, in HAProxy 2.6's order (unknown ones left out). */
    String showInfo() {
        ProcessInfo p = runtime.process();
        long uptime = p.uptimeMillis() / 1000;
        long totalBytesOut = 0;
        int listeners = 0;
        for (Frontend frontend : runtime.frontends().values()) {
            totalBytesOut += frontend.stats().bytesOut();
            if (!frontend.paused() && !frontend.stopped()) {
                listeners += frontend.listeners().size();
            }
        }
        long fds = maxFileDescriptors();
        StringBuilder out = new StringBuilder();
        line(out, "Name", "luagate");
        line(out, "Version", p.version());
        line(out, "Release_date", p.releaseDate());
        line(out, "Nbthread", p.threads());
        line(out, "Nbproc", 1);
        line(out, "Process_num", 1);
        line(out, "Pid", p.pid());
        line(out, "Uptime", String.format("%dd %dh%02dm%02ds", uptime / 86400, (uptime % 86400) / 3600,
                (uptime % 3600) / 60, uptime % 60));
        line(out, "Uptime_sec", uptime);
        if (fds > 0) {
            line(out, "Ulimit-n", fds);
        }
        line(out, "Maxconn", p.maxConnections());
        line(out, "Hard_maxconn", p.maxConnections());
        line(out, "CurrConns", p.currentConnections());
        line(out, "CumConns", p.totalConnections());
        line(out, "CumReq", p.totalRequests());
        line(out, "node", p.node());
        line(out, "Stopping", p.stopping() ? 1 : 0);
        line(out, "Listeners", listeners);
        line(out, "TotalBytesOut", totalBytesOut);
        line(out, "Build info", p.version());
        line(out, "Start_time_sec", p.startTime().getEpochSecond());
        return out.toString();
    }

    private static void line(StringBuilder out, String name, Object value) {
        out.append(name).append(": ").append(value).append('\n');
    }

    private static long maxFileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return 0;
    }
}
