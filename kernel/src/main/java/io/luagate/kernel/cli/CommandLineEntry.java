package io.luagate.kernel.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs a {@code luagate} command line and gives its exit status: a plain run line directly ({@link PlainRunLine}), the rest through picocli. */
public final class CommandLineEntry {

    private CommandLineEntry() {
    }

    public static int execute(String[] args) {
        Path plainRun = PlainRunLine.config(args);
        if (plainRun == null) {
            return throughPicocli(args);
        }
        PrintWriter err = new PrintWriter(System.err, true);
        try {
            return Serving.serve(plainRun, err);
        } catch (Exception e) {
            // As picocli's execute() answers a command that throws: the trace, exit status 1.
            e.printStackTrace(err);
            err.flush();
            return 1;
        }
    }

    private static int throughPicocli(String[] args) {
        return new CommandLine(new LuagateCommand()).execute(args);
    }
}
