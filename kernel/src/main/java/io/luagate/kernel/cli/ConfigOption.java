package io.luagate.kernel.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code -c FILE} option shared by the commands that read a configuration. */
final class ConfigOption {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The configuration file (default: conf/luagate.conf of the distribution).")
    Path file;

    Path resolve() {
        return Home.config(file);
    }
}
