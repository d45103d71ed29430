package io.luagate.kernel.cli;

import io.luagate.kernel.Luagate;
import io.luagate.kernel.config.ConfigLoader;
import io.luagate.kernel.plugin.PluginInfo;
import io.luagate.kernel.plugin.PluginInventory;
import io.luagate.kernel.plugin.Plugins;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code luagate version}; with {@code -vv} the build as {@code haproxy -vv} prints it: version and
 * commit, the Java it runs on, the SPI level, the transports and the one in use, the TLS engine of
 * the tls plugin, and the plugins with their versions.
 */
@Command(name = "version", description = "Print luagate's version; -vv: the build, the transport, the TLS engine, the plugins.")
public final class VersionCommand implements Callable<Integer>, IVersionProvider {

    private static final Properties BUILD = build();

    @Spec
    CommandSpec spec;

    @Option(names = "-v", description = "More detail: -v adds the commit, -vv the whole build.")
    boolean[] verbose = new boolean[0];

    /** The version this kernel was built as. */
    public static String version() {
        return BUILD.getProperty("version", "unknown");
    }

    /** The commit this kernel was built from (abbreviated), or {@code unknown} (built without .git). */
    static String commit() {
        String commit = filtered("commit");
        return commit == null ? "unknown" : commit;
    }

    /** A build property, or {@code null} when the build had none (no .git: the placeholder stays). */
    private static String filtered(String key) {
        String value = BUILD.getProperty(key);
        return value == null || value.isBlank() || value.startsWith("${") ? null : value;
    }

    private static Properties build() {
        Properties properties = new Properties();
        try (InputStream in = VersionCommand.class.getResourceAsStream("/io/luagate/kernel/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // An unreadable resource reads as an unknown build.
        }
        return properties;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (verbose.length == 0) {
            out.println("luagate " + version() + " (Java " + Runtime.version() + ")");
        } else {
            String date = filtered("build-date");
            out.println("luagate version " + version() + (date == null ? "" : " " + date) + " - commit " + commit());
            if (verbose.length > 1) {
                verbose(out);
            }
        }
        out.flush();
        return 0;
    }

    private void verbose(PrintWriter out) {
        out.println("Running on: Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.vm.name") + "), " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        out.println("SPI level : " + Plugins.spiLevel());
        out.println();
        // The same test EventLoops makes when it picks the transport.
        boolean epoll = Epoll.isAvailable();
        out.println("Available transports :");
        out.println("      epoll : " + (epoll ? "test result OK" : "unavailable (" + firstLine(Epoll.unavailabilityCause()) + ")"));
        out.println("        nio : test result OK");
        out.println("Total: 2 (" + (epoll ? 2 : 1) + " usable), will use " + (epoll ? "epoll" : "nio") + ".");
        out.println();
        Path dir = Home.dir().resolve("plugins");
        if (!Files.isDirectory(dir)) {
            out.println("No plugins directory (" + dir + ").");
            return;
        }
        PluginInventory inventory = Luagate.inventory(ConfigLoader.withoutFile(dir, Home.dir()), Home.dir());
        if (inventory.tlsEngine() != null) {
            out.println("TLS engine : " + inventory.tlsEngine());
            out.println();
        }
        out.println("Available plugins (in " + inventory.dir() + ") :");
        for (PluginInfo info : inventory.plugins()) {
            out.println("  " + info.id() + " " + info.version());
        }
        out.println("Total: " + inventory.plugins().size() + (inventory.problems().isEmpty() ? ""
                : ", and " + inventory.problems().size() + " problem(s): see luagate plugins") + ".");
    }

    private static String firstLine(Throwable cause) {
        if (cause == null) {
            return "no reason given";
        }
        String text = String.valueOf(cause.getMessage());
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    @Override
    public String[] getVersion() {
        return new String[] {"luagate " + version()};
    }
}
