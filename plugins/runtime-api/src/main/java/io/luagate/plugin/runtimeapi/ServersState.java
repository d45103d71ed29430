package io.luagate.plugin.runtimeapi;

import io.luagate.spi.extension.ExtensionRuntime;
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

    String run(Request r) {
        String only = r.arg(3);
        if (!only.isEmpty() && !runtime.backends().containsKey(only)) {
            throw new CliError("Can't find backend.\n");
        }
        ProxyIds ids = new ProxyIds(runtime);
        long uptime = runtime.process().uptimeMillis() / 1000;
        StringBuilder out = new StringBuilder(HEADER);
        for (Backend backend : runtime.backends().values()) {
            if (!only.isEmpty() && !only.equals(backend.name())) {
                continue;
            }
            List<? extends Server> servers = backend.servers();
            for (int i = 0; i < servers.size(); i++) {
                Server server = servers.get(i);
                InetSocketAddress address = server.address();
                boolean up = ServerStates.operational(server) == 2;
                out.append(ids.backend(backend.name())).append(' ').append(backend.name()).append(' ')
                        .append(i + 1).append(' ').append(server.name()).append(' ')
                        .append(address.getAddress().getHostAddress()).append(' ')
                        .append(ServerStates.operational(server)).append(' ')
                        .append(ServerStates.administrative(server)).append(' ')
                        .append(server.weight()).append(' ').append(server.initialWeight()).append(' ')
                        .append(uptime).append(' ')
                        // No checks: HAProxy's HCHK_STATUS_INI (1), result unknown (0), health at rise (2) when up.
                        .append("1 0 ").append(up ? 2 : 0).append(' ')
                        .append(server.admin() == io.luagate.spi.proxy.ServerAdmin.MAINT ? 8 : 0).append(" 0 ")
                        .append("0 0 - ").append(address.getPort()).append(" - 0 0 - - 0\n");
            }
        }
        return out.toString();
    }
}
