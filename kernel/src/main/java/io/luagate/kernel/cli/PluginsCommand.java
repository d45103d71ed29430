package io.luagate.kernel.cli;

import io.luagate.kernel.Luagate;
import io.luagate.kernel.config.ConfigLoader;
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

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path pluginsDir = dir != null ? dir.toAbsolutePath().normalize() : Home.dir().resolve("plugins");
        if (!Files.isDirectory(pluginsDir)) {
            err.println("luagate plugins: directory not found: " + (dir != null ? dir : pluginsDir));
            err.flush();
            return LuagateCommand.USAGE;
        }
        PluginInventory inventory = Luagate.inventory(ConfigLoader.withoutFile(pluginsDir, Home.dir()), Home.dir());
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
