package io.luagate.kernel.config;

import java.util.List;
import java.util.stream.Collectors;

/** The configuration cannot be used; carries every problem found, not just the first. */
public final class InvalidConfigException extends RuntimeException {

    private final List<ConfigProblem> problems;

    public InvalidConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
