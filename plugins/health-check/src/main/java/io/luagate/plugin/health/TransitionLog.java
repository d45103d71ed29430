package io.luagate.plugin.health;

import io.luagate.spi.health.CheckResult;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lines HAProxy 2.6 logs when a check changes a server's state ({@code srv_append_status}),
 * word for word: {@code Server app/a is DOWN, reason: Layer7 wrong status, code: 500, info:
 * "Internal Server Error", check duration: 1ms. 0 active and 1 backup servers left. Running on
 * backup. 0 sessions active, 0 requeued, 0 remaining in queue.}, and {@code backend app has no
 * server available!} when the last one goes. luagate has no server queues: their figures are 0.
 */
final class TransitionLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.luagate.health");

    private TransitionLog() {
    }

    /** Logs that {@code server} went from {@code before} to its health now, because of {@code result}. */
    static void transition(Backend backend, Server server, ServerHealth before, CheckResult result) {
        String line = line(backend, server, before, result);
        if (line == null) {
            return;
        }
        LOG.warn(line);
        if (server.health() == ServerHealth.DOWN && before != ServerHealth.DOWN && usable(backend, false) + usable(backend, true) == 0) {
            LOG.error("backend " + backend.name() + " has no server available!");
        }
    }

    /** The line, or {@code null} for a change HAProxy does not log this way. */
    static String line(Backend backend, Server server, ServerHealth before, CheckResult result) {
        ServerHealth now = server.health();
        boolean down = now == ServerHealth.DOWN;
        if (!down && before != ServerHealth.DOWN) {
            return null;
        }
        StringBuilder out = new StringBuilder(200);
        out.append(server.isBackup() ? "Backup Server " : "Server ").append(backend.name()).append('/').append(server.name())
                .append(down ? " is DOWN" : " is UP");
        out.append(", reason: ").append(result.status().description());
        if (result.hasCode()) {
            out.append(", code: ").append(result.code());
        }
        if (!result.info().isEmpty()) {
            out.append(", info: \"").append(escape(result.info())).append('"');
        }
        if (result.durationMillis() >= 0) {
            out.append(", check duration: ").append(result.durationMillis()).append("ms");
        }
        int active = usable(backend, false);
        int backups = usable(backend, true);
        String onBackup = backups > 0 && active == 0 ? " Running on backup." : "";
        if (down) {
            out.append(". ").append(active).append(" active and ").append(backups).append(" backup servers left.")
                    .append(onBackup).append(' ').append(server.currentStreams())
                    .append(" sessions active, 0 requeued, 0 remaining in queue.");
        } else {
            out.append(". ").append(active).append(" active and ").append(backups).append(" backup servers online.")
                    .append(onBackup).append(" 0 sessions requeued, 0 total in queue.");
        }
        return out.toString();
    }

    /** HAProxy's srv_act / srv_bck: the servers of the kind that may take traffic now. */
    static int usable(Backend backend, boolean backup) {
        int n = 0;
        for (Server s : backend.servers()) {
            if (s.isBackup() == backup && s.isUp() && s.weight() > 0) {
                n++;
            }
        }
        return n;
    }

    /** HAProxy's chunk_asciiencode with '"': control characters and the quote as \xNN. */
    private static String escape(String info) {
        StringBuilder out = new StringBuilder(info.length());
        for (int i = 0; i < info.length(); i++) {
            char c = info.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
