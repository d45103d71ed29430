package io.luagate.kernel.cli;

import com.google.inject.Guice;
import io.luagate.kernel.plugin.PluginInfo;
import io.luagate.kernel.plugin.Plugins;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code luagate plugins}: what this build contains. */
@Command(name = "plugins", description = "List the plugins found, their versions and the extensions each provides.")
final class PluginsCommand implements Callable<Integer> {

    @Option(names = {"-d", "--dir"}, paramLabel = "DIR", description = "The plugins directory (default: plugins/ of the distribution).")
    Path dir;

    @Override
    public Integer call() {
        Path pluginsDir = dir != null ? dir.toAbsolutePath() : Home.dir().resolve("plugins");
        var injector = Guice.createInjector();
        try (Plugins plugins = new Plugins(pluginsDir, () -> injector)) {
            System.out.println("plugins in " + pluginsDir + ":");
            for (PluginInfo info : plugins.describe()) {
                System.out.println(info.id() + " " + info.version() + " (" + info.file() + ")");
                info.extensions().forEach(extension -> System.out.println("  " + extension));
            }
            plugins.failures().forEach(failure -> System.out.println("FAILED " + failure));
            return plugins.failures().isEmpty() ? 0 : 1;
        }
    }
}
