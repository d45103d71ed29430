package io.luagate.plugin.admin;

import io.luagate.spi.extension.Extension;
import io.luagate.spi.extension.ExtensionContext;
import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.pattern.PatternFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * The {@code admin} section: an HTTP JSON admin API on {@code admin.bind}, off unless that key is
 * written. Configured (token read, bind checked) with the rest of the configuration, so a token on
 * a non-loopback bind stops the start, also under {@code luagate check}.
 */
@org.pf4j.Extension
public final class AdminExtension implements Extension {

    private AdminSettings settings;
    private PatternFiles patterns;
    private AdminServer server;

    @Override
    public String configSection() {
        return "admin";
    }

    @Override
    public String defaultsResource() {
        return "admin-reference.conf";
    }

    /** Its socket and its answers outlive a reload, the one it asked for included. */
    @Override
    public boolean livesForProcess() {
        return true;
    }

    @Override
    public void configure(ExtensionContext context) {
        settings = AdminSettings.read(context.config(), context.home(), System.getenv());
        patterns = context.patterns();
    }

    @Override
    public synchronized void start(ExtensionRuntime runtime) {
        if (settings == null || settings.bind() == null) {
            return;
        }
        server = new AdminServer(settings, new AdminApi(runtime, patterns));
        try {
            server.start();
        } catch (IOException e) {
            server.stop();
            server = null;
            throw new UncheckedIOException("admin.bind: cannot listen on " + ProxyViews.address(settings.bind()) + ": "
                    + e.getMessage(), e);
        }
    }

    /** Where the API listens, or {@code null} when it does not run. */
    synchronized InetSocketAddress address() {
        return server == null ? null : server.address();
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}
