package io.luagate.plugin.health;

import io.luagate.spi.config.ConfigSection;
import io.luagate.spi.extension.ExtensionContext;
import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.health.HealthChecker;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Server;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code health-check} section and the checkers: at start, one {@link ServerChecker} per
 * server with {@code check} or {@code observe}, each on one event loop (dealt round-robin), their
 * first checks spread over each one's {@code inter} as HAProxy spreads them, so that a thousand
 * servers are not checked in the same millisecond. Not a singleton: an instance checks the servers
 * of the generation it was started for, and stopping it stops only those.
 */
@org.pf4j.Extension
public final class HealthCheckExtension implements HealthChecker {

    private final List<ServerChecker> checkers = new ArrayList<>();
    private volatile int spreadPercent;
    /** The loops, once started: servers added later get theirs in turn. */
    private List<EventLoop> loops = List.of();
    private boolean stopped;

    @Override
    public String configSection() {
        return "health-check";
    }

    @Override
    public String defaultsResource() {
        return "health-check-reference.conf";
    }

    @Override
    public void configure(ExtensionContext context) {
        ConfigSection section = context.config();
        spreadPercent = section.integer("spread-checks", 0, 50);
    }

    @Override
    public synchronized void start(ExtensionRuntime runtime) {
        loops = runtime.eventLoops();
        List<Server> checked = new ArrayList<>();
        List<Backend> owners = new ArrayList<>();
        for (Backend backend : runtime.backends().values()) {
            for (Server server : backend.servers()) {
                if (server.checkSettings().enabled()) {
                    checked.add(server);
                    owners.add(backend);
                }
            }
        }
        int count = checked.size();
        for (int i = 0; i < count; i++) {
            Server server = checked.get(i);
            EventLoop loop = loops.get(i % loops.size());
            ServerChecker checker = new ServerChecker(owners.get(i), server, loop, Channels.socketChannel(loop), spreadPercent);
            checkers.add(checker);
            // HAProxy's start_checks: the i-th of n checked servers first checks at i/n of its interval.
            checker.start(server.checkSettings().interMillis() * i / count);
        }
    }

    /** A server added at run time: checked from now on, its first check one interval away (HAProxy spreads none). */
    @Override
    public synchronized void serverAdded(Backend backend, Server server) {
        if (stopped || loops.isEmpty() || !server.checkSettings().enabled()) {
            return;
        }
        EventLoop loop = loops.get(checkers.size() % loops.size());
        ServerChecker checker = new ServerChecker(backend, server, loop, Channels.socketChannel(loop), spreadPercent);
        checkers.add(checker);
        checker.start(server.checkSettings().interMillis());
    }

    @Override
    public synchronized void serverRemoved(Backend backend, Server server) {
        checkers.removeIf(checker -> {
            if (checker.server() != server) {
                return false;
            }
            checker.stop();
            return true;
        });
    }

    @Override
    public synchronized void stop() {
        stopped = true;
        checkers.forEach(ServerChecker::stop);
        checkers.clear();
    }
}
