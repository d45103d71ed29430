package io.luagate.plugin.runtimeapi;

import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.health.CheckResult;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Server;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * HAProxy's {@code show servers state [<backend>]}, format 1 (what {@code server-state-file}
 * reads back): a version line, the field names, then one line per server.
 */
final class ServersState {

    static final String HEADER = "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight "
            + "srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health "
            + "srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl "
            + "srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n";

    private final ExtensionRuntime runtime;

    ServersState(ExtensionRuntime runtime) {
        this.runtime = runtime;
    }

    /** HAProxy's {@code check.port}: the check's own port, 0 when it uses the server's. */
    private static int checkPort(Server server) {
        return server.checkState().checked() ? Math.max(0, server.checkSettings().port()) : 0;
    }

    /** HAProxy's {@code check.addr}: the check's own address, "-" when it uses the server's. */
    private static String checkAddress(Server server) {
        java.net.InetAddress address = server.checkState().checked() ? server.checkSettings().address() : null;
        return address == null ? "-" : address.getHostAddress();
    }

    String run(Request r) {
        String only = r.arg(3);
        if (!only.isEmpty() && !runtime.backends().containsKey(only)) {
            throw new CliError("Can't find backend.\n");
        }
        ProxyIds ids = new ProxyIds(runtime);
        long start = runtime.process().startTime().toEpochMilli();
        StringBuilder out = new StringBuilder(HEADER);
        for (Backend backend : runtime.backends().values()) {
            if (!only.isEmpty() && !only.equals(backend.name())) {
                continue;
            }
            List<? extends Server> servers = backend.servers();
            for (int i = 0; i < servers.size(); i++) {
                Server server = servers.get(i);
                InetSocketAddress address = server.address();
                CheckResult last = server.checkState().last();
                out.append(ids.backend(backend.name())).append(' ').append(backend.name()).append(' ')
                        .append(i + 1).append(' ').append(server.name()).append(' ')
                        .append(address.getAddress().getHostAddress()).append(' ')
                        .append(ServerStates.operational(server)).append(' ')
                        .append(ServerStates.administrative(server)).append(' ')
                        .append(server.weight()).append(' ').append(server.initialWeight()).append(' ')
                        .append(ServerStates.secondsSinceChange(server, start)).append(' ')
                        .append(ServerStates.statusNumber(last.status())).append(' ')
                        .append(ServerStates.resultNumber(last)).append(' ')
                        .append(ServerStates.health(server)).append(' ')
                        .append(ServerStates.checkStateBits(server)).append(" 0 ")
                        .append("0 0 - ").append(address.getPort()).append(" - 0 ")
                        .append(checkPort(server)).append(' ').append(checkAddress(server)).append(" - 0\n");
            }
        }
        return out.toString();
    }
}
