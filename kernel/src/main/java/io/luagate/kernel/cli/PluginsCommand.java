package io.luagate.kernel.cli;

import io.luagate.kernel.Luagate;
import io.luagate.kernel.config.ConfigLoader;
import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Settings;
import io.luagate.kernel.plugin.PluginInfo;
import io.luagate.kernel.plugin.PluginInventory;
import io.luagate.kernel.plugin.Plugins;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code luagate plugins}: what this build contains, like Caddy's {@code list-modules}: each
 * plugin with its metadata and every name it provides; then every jar that does not serve, with
 * its reason (exit 1 if any).
 */
@Command(name = "plugins", description = "List the plugins found, their metadata and every name each provides;"
        + " report every jar that does not load (exit 1).")
final class PluginsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-d", "--dir"}, paramLabel = "DIR", description = "The plugins directory (default: plugins/ of the distribution).")
    Path dir;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Configure the plugins with FILE (its plugins.dir):"
            + " the names its scripts register (lua.<name>) are listed too.")
    Path config;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Settings settings;
        if (config != null) {
            if (dir != null) {
                err.println("luagate plugins: -c takes the plugins directory from the configuration: give -c or -d, not both");
                err.flush();
                return LuagateCommand.USAGE;
            }
            Path file = Home.config(config);
            if (!Files.isRegularFile(file)) {
                err.println("luagate plugins: file not found: " + config);
                err.flush();
                return LuagateCommand.USAGE;
            }
            // The configuration's own problems are check's to report: here it only feeds the plugins.
            settings = ConfigLoader.check(file, Home.dir(), new Problems());
            if (settings == null) {
                err.println("luagate plugins: " + config + " cannot be read: see luagate check -c " + config);
                err.flush();
                return 1;
            }
        } else {
            Path pluginsDir = dir != null ? dir.toAbsolutePath().normalize() : Home.dir().resolve("plugins");
            settings = ConfigLoader.withoutFile(pluginsDir, Home.dir());
        }
        if (!Files.isDirectory(settings.pluginsDir())) {
            err.println("luagate plugins: directory not found: " + (dir != null ? dir : settings.pluginsDir()));
            err.flush();
            return LuagateCommand.USAGE;
        }
        PluginInventory inventory = Luagate.inventory(settings, Home.dir());
        out.println("plugins in " + inventory.dir() + " (SPI level " + Plugins.spiLevel() + "):");
        for (PluginInfo info : inventory.plugins()) {
            out.println();
            out.println(info.id() + " " + info.version() + " (" + info.file() + ")");
            if (!info.description().isEmpty()) {
                out.println("  description: " + info.description());
            }
            if (!info.provider().isEmpty()) {
                out.println("  provider:    " + info.provider());
            }
            out.println("  requires:    SPI level " + info.requires());
            info.provided().forEach((kind, names) -> names.forEach(name -> out.println("  " + kind.label() + " " + name)));
        }
        out.flush();
        if (inventory.problems().isEmpty()) {
            return 0;
        }
        inventory.problems().forEach(err::println);
        err.println(inventory.problems().size() + " problem(s) in " + inventory.dir());
        err.flush();
        return 1;
    }
}
