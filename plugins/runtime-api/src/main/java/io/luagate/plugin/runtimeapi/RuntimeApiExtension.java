package io.luagate.plugin.runtimeapi;

import io.luagate.spi.extension.Extension;
import io.luagate.spi.extension.ExtensionContext;
import io.luagate.spi.extension.ExtensionRuntime;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The {@code stats} section: HAProxy's runtime API on a unix socket ({@code stats.socket}) and
 * optionally a loopback TCP address ({@code stats.tcp}).
 */
@org.pf4j.Extension
@Singleton
public final class RuntimeApiExtension implements Extension {

    private StatsSocketSettings settings;
    private Path home;
    private final List<CliServer> servers = new ArrayList<>();
    private ScheduledExecutorService timer;

    @Override
    public String configSection() {
        return "stats";
    }

    @Override
    public String defaultsResource() {
        return "runtime-api-reference.conf";
    }

    @Override
    public void configure(ExtensionContext context) {
        this.home = context.home();
        this.settings = StatsSocketSettings.read(context.config(), home);
    }

    /** The sockets stay open across reloads, and a reload asked here answers here. */
    @Override
    public boolean livesForProcess() {
        return true;
    }

    @Override
    public synchronized void start(ExtensionRuntime runtime) {
        if (settings == null || !settings.enabled()) {
            return;
        }
        CommandTable table = commands(runtime, home);
        timer = CliServer.newTimer();
        try {
            if (settings.socket() != null) {
                servers.add(CliServer.unix(settings.socket(), table, settings, timer));
            }
            if (settings.tcp() != null) {
                servers.add(CliServer.tcp(settings.tcp(), table, settings, timer));
            }
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException("stats: " + e.getMessage(), e);
        }
    }

    /** Every command, in the order HAProxy's CLI tries them. */
    static CommandTable commands(ExtensionRuntime runtime, Path home) {
        CommandTable table = new CommandTable();
        SessionCommands.register(table);
        new PatternCommands(runtime::patterns, home).register(table);
        new ServerCommands(runtime).register(table);
        new DynamicServerCommands(runtime).register(table);
        new FrontendCommands(runtime).register(table);
        new InfoCommands(runtime).register(table);
        new ReloadCommand(runtime).register(table);
        return table;
    }

    /** Where the servers listen, in the order started (the socket first): for tests and logs. */
    synchronized List<SocketAddress> addresses() {
        return servers.stream().map(CliServer::address).toList();
    }

    @Override
    public synchronized void stop() {
        for (CliServer server : servers) {
            server.close();
        }
        servers.clear();
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
