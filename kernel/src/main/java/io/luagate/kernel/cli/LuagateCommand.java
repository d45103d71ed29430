package io.luagate.kernel.cli;

import picocli.CommandLine.Command;

/** {@code luagate}: the top command; its work is in the subcommands. */
@Command(name = "luagate", mixinStandardHelpOptions = true, versionProvider = VersionCommand.class,
        description = "A programmable HTTP/TCP reverse proxy, scripted in Lua with HAProxy's API.",
        subcommands = {RunCommand.class, CheckCommand.class, PluginsCommand.class, VersionCommand.class,
                ImportHaproxyCommand.class})
public final class LuagateCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
