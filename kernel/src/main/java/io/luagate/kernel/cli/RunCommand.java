package io.luagate.kernel.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code luagate run -c FILE}: start luagate and serve until SIGTERM ({@link Serving}). */
@Command(name = "run", description = "Start luagate and serve until SIGTERM.")
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws InterruptedException {
        return Serving.serve(config.resolve(), spec.commandLine().getErr());
    }
}
