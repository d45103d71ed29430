package io.luagate.plugin.runtimeapi;

import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.extension.ReloadResult;

/**
 * {@code reload} (luagate's; HAProxy 2.6 reloads through its master CLI or a signal): reads and
 * checks the configuration and scripts, and on success a new generation takes every new stream.
 * Answers {@code Success=1} then the new generation and its notes, or {@code Success=0} then one
 * problem a line ({@code file:line: key: message}): what {@code luagate reload} prints. The
 * command waits for the reload on this connection's own thread, never on an event loop; the
 * runtime API lives for the process, so the answer reaches its caller across the reload.
 */
final class ReloadCommand {

    private final ExtensionRuntime runtime;

    ReloadCommand(ExtensionRuntime runtime) {
        this.runtime = runtime;
    }

    void register(CommandTable table) {
        table.add("reload", "reload                                  : reload the configuration and scripts (checked first)",
                this::reload);
    }

    private String reload(Request r) {
        r.require(Level.ADMIN);
        return answer(runtime.reload());
    }

    /** The answer's text for a reload's result. */
    static String answer(ReloadResult result) {
        StringBuilder out = new StringBuilder();
        if (result.success()) {
            out.append("Success=1\n").append("Generation=").append(result.generation()).append('\n');
            result.notes().forEach(note -> out.append(oneLine(note)).append('\n'));
        } else {
            out.append("Success=0\n");
            result.problems().forEach(problem -> out.append(oneLine(problem)).append('\n'));
        }
        return out.toString();
    }

    /** A problem's text on one line: an empty line would end the answer for the client. */
    private static String oneLine(String text) {
        return text.replace("\r", "").replace('\n', ' ');
    }
}
