package io.luagate.kernel.cli;

import java.nio.file.Path;

/**
 * A {@code luagate run} command line with nothing for picocli to interpret: {@code run}, {@code run
 * -c FILE}, {@code run --config FILE} or {@code run --config=FILE}. Such a line is served without
 * building picocli's command model, which loads some 500 classes (picocli's, and through its
 * built-in converters much of {@code java.time}, {@code java.sql} and reflection) that stay in a
 * process's memory for its life (bench/README.md, "Fewer classes at start"). Every other line
 * (help, version, other commands, an option spelled any other way, a value picocli would expand
 * or refuse) goes to picocli, so its answers and errors do not change.
 */
final class PlainRunLine {

    private PlainRunLine() {
    }

    /** The configuration file {@code args} names, resolved as {@link ConfigOption} does; {@code null} if the line is not plain. */
    static Path config(String[] args) {
        if (args.length == 0 || !"run".equals(args[0])) {
            return null;
        }
        String given;
        if (args.length == 1) {
            given = null;
        } else if (args.length == 3 && ("-c".equals(args[1]) || "--config".equals(args[1]))) {
            given = args[2];
        } else if (args.length == 2 && args[1].startsWith("--config=")) {
            given = args[1].substring("--config=".length());
        } else {
            return null;
        }
        // picocli would read "@file" as a file of arguments, and refuse an empty or option-like value.
        if (given != null && (given.isEmpty() || given.startsWith("-") || given.startsWith("@"))) {
            return null;
        }
        return Home.config(given == null ? null : Path.of(given));
    }
}
