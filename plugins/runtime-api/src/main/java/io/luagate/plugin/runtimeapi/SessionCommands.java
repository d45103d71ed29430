package io.luagate.plugin.runtimeapi;

/** The commands about the connection itself: help, prompt, quit, user, operator, show cli level. */
final class SessionCommands {

    private SessionCommands() {
    }

    static void register(CommandTable table) {
        table.add("help", null, r -> table.usage(r.args().subList(1, r.args().size()), true))
                .add("prompt", null, r -> {
                    r.connection().togglePrompt();
                    return "";
                })
                .add("quit", null, r -> {
                    r.connection().requestQuit();
                    return "";
                })
                .add("operator", "operator                                : lower the level of the current CLI session to operator",
                        r -> lower(r, Level.OPERATOR))
                .add("user", "user                                    : lower the level of the current CLI session to user",
                        r -> lower(r, Level.USER))
                .add("show cli level", "show cli level                          : display the level of the current CLI session",
                        r -> r.connection().level().text() + "\n");
    }

    /** HAProxy's {@code cli_parse_set_lvl}: refused (and unchanged) when above the connection's level. */
    private static String lower(Request r, Level to) {
        r.require(to);
        r.connection().lower(to);
        return "";
    }
}
