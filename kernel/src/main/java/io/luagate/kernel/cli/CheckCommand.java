package io.luagate.kernel.cli;

import io.luagate.kernel.config.ConfigProblem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code luagate check -c FILE}: like {@code haproxy -c}, every problem with file:line, exit 1 if
 * any ({@link ConfigurationCheck}).
 */
@Command(name = "check", description = "Validate the configuration (and the plugins and scripts it loads); print every problem.")
final class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path file = config.resolve();
        List<ConfigProblem> problems = ConfigurationCheck.problems(file);
        if (problems.isEmpty()) {
            out.println("Configuration file " + file + " is valid");
            out.flush();
            return 0;
        }
        problems.forEach(err::println);
        err.println(problems.size() + " problem(s) in " + file);
        err.flush();
        return 1;
    }
}
