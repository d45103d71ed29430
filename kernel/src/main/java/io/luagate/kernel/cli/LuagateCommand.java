package io.luagate.kernel.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code luagate}: the top command; its work is in the subcommands. Without one it is a usage error (exit 2). */
@Command(name = "luagate", mixinStandardHelpOptions = true, versionProvider = VersionCommand.class,
        description = "A programmable HTTP/TCP reverse proxy, scripted in Lua with HAProxy's API.",
        subcommands = {RunCommand.class, CheckCommand.class, ReloadCommand.class, PluginsCommand.class, VersionCommand.class,
                ImportHaproxyCommand.class})
public final class LuagateCommand implements Callable<Integer> {

    /** picocli's (and the shell's) exit status for a command line that cannot be run. */
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        err.println("luagate: a command is missing");
        spec.commandLine().usage(err);
        err.flush();
        return USAGE;
    }
}
