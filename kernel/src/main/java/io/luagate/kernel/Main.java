package io.luagate.kernel;

import io.luagate.kernel.cli.LuagateCommand;
import picocli.CommandLine;

/** The entry point of {@code bin/luagate}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int status = new CommandLine(new LuagateCommand()).execute(args);
        System.exit(status);
    }
}
