package io.luagate.kernel.cli;

import io.luagate.kernel.Luagate;
import io.luagate.kernel.config.ConfigLoader;
import io.luagate.kernel.config.ConfigProblem;
import io.luagate.kernel.config.InvalidConfigException;
import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code luagate check -c FILE}: like {@code haproxy -c}, every problem with file:line; exit 1 if any. */
@Command(name = "check", description = "Validate the configuration (and what it loads); print every problem.")
final class CheckCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        Path file = config.resolve();
        // Every stage runs even when an earlier one found problems: the settings that could be
        // read go on to the plugins, the scripts and the rules.
        Problems collected = new Problems();
        Settings settings = ConfigLoader.check(file, Home.dir(), collected);
        if (settings != null) {
            try {
                Luagate.check(settings, Home.dir()).list().forEach(collected::add);
            } catch (InvalidConfigException e) {
                e.problems().forEach(collected::add);
            }
        }
        List<ConfigProblem> problems = collected.list().stream().distinct().toList();
        if (problems.isEmpty()) {
            System.out.println("Configuration file " + file + " is valid");
            return 0;
        }
        for (ConfigProblem problem : problems) {
            System.err.println(problem);
        }
        System.err.println(problems.size() + " problem(s) in " + file);
        return 1;
    }
}
