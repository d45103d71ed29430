package ${package};

import io.luagate.spi.balancer.Balancer;
import io.luagate.spi.proxy.Server;
import java.util.List;

/**
 * Every request to the first usable server in the order the configuration lists them: up (not
 * down, in drain or in maintenance) with a weight above 0. The next one serves only while those
 * before it cannot. A server's state and weight may change at any time, so they are read at every
 * pick. Backup servers serve only when no other server is usable.
 */
final class FirstUsableBalancer implements Balancer {

    private final List<? extends Server> servers;

    FirstUsableBalancer(List<? extends Server> servers) {
        this.servers = List.copyOf(servers);
    }

    @Override
    public Server next(Server avoid) {
        Server picked = first(false, avoid);
        if (picked == null) {
            picked = first(true, avoid);
        }
        // The server to avoid (it just failed) is still better than none.
        return picked == null && avoid != null && usable(avoid) ? avoid : picked;
    }

    private Server first(boolean backup, Server avoid) {
        for (Server server : servers) {
            if (server.isBackup() == backup && server != avoid && usable(server)) {
                return server;
            }
        }
        return null;
    }

    private static boolean usable(Server server) {
        return server.isUp() && server.weight() > 0;
    }
}
