package io.luagate.plugin.runtimeapi;

import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.proxy.Frontend;

/** HAProxy's {@code disable}, {@code enable} and {@code shutdown frontend}, with its texts. */
final class FrontendCommands {

    private final ExtensionRuntime runtime;

    FrontendCommands(ExtensionRuntime runtime) {
        this.runtime = runtime;
    }

    void register(CommandTable table) {
        table.add("disable frontend", "disable frontend <frontend>             : temporarily disable specific frontend",
                        this::disable)
                .add("enable frontend", "enable frontend <frontend>              : re-enable specific frontend", this::enable)
                .add("shutdown frontend", "shutdown frontend <frontend>            : stop a specific frontend", this::shutdown);
    }

    private Frontend find(String name) {
        if (name.isEmpty()) {
            throw new CliError("A frontend name is expected.\n");
        }
        Frontend frontend = runtime.frontends().get(name);
        if (frontend == null) {
            throw new CliError("No such frontend.\n");
        }
        return frontend;
    }

    private String disable(Request r) {
        r.require(Level.ADMIN);
        Frontend frontend = find(r.arg(2));
        if (frontend.stopped()) {
            return "Frontend was previously shut down, cannot disable.\n";
        }
        if (frontend.paused()) {
            return "All sockets are already disabled.\n";
        }
        frontend.pause();
        return "";
    }

    private String enable(Request r) {
        r.require(Level.ADMIN);
        Frontend frontend = find(r.arg(2));
        if (frontend.stopped()) {
            throw new CliError("Frontend was previously shut down, cannot enable.\n");
        }
        if (!frontend.paused()) {
            return "All sockets are already enabled.\n";
        }
        frontend.resume();
        return "";
    }

    private String shutdown(Request r) {
        r.require(Level.ADMIN);
        Frontend frontend = find(r.arg(2));
        if (frontend.stopped()) {
            return "Frontend was already shut down.\n";
        }
        frontend.stop();
        return "";
    }
}
