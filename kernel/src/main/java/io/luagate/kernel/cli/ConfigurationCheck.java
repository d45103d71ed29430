package io.luagate.kernel.cli;

import io.luagate.kernel.Luagate;
import io.luagate.kernel.config.ConfigLoader;
import io.luagate.kernel.config.ConfigProblem;
import io.luagate.kernel.config.InvalidConfigException;
import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Settings;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code check} and a refused {@code run} report: every stage runs even when an earlier one
 * found problems (the settings that could be read go on to the plugins, the scripts they load and
 * the rules), so one run lists everything, one line per problem.
 */
final class ConfigurationCheck {

    private ConfigurationCheck() {
    }

    /** Every problem of {@code file}, each once, in the order found. */
    static List<ConfigProblem> problems(Path file) {
        Problems collected = new Problems();
        Settings settings = ConfigLoader.check(file, Home.dir(), collected);
        if (settings != null) {
            try {
                Luagate.check(settings, Home.dir()).list().forEach(collected::add);
            } catch (InvalidConfigException e) {
                e.problems().forEach(collected::add);
            } catch (RuntimeException e) {
                if (collected.isEmpty()) {
                    throw e;
                }
                // Settings read past their own problems may trip a later stage: the problems found say why.
                collected.add(new ConfigProblem(file.toString(), "", "the later checks stopped after the problems above ("
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")"));
            }
        }
        return collected.list().stream().distinct().toList();
    }
}
