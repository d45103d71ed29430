package io.luagate.plugin.runtimeapi;

/** The state of one runtime API connection that commands may read and change. */
final class CliConnection {

    private Level level;
    private boolean interactive;
    private boolean quit;
    private boolean noTrailingLine;

    CliConnection(Level level) {
        this.level = level;
    }

    Level level() {
        return level;
    }

    /** HAProxy's {@code user} and {@code operator}: a connection can only lower its level. */
    void lower(Level to) {
        if (to.compareTo(level) <= 0) {
            level = to;
        }
    }

    boolean interactive() {
        return interactive;
    }

    void togglePrompt() {
        interactive = !interactive;
    }

    /**
     * HAProxy's NOLF: the answer of this command is not followed by the usual empty line (some of
     * HAProxy's commands answer so, {@code del server} for one). Cleared by {@link #takeNoTrailingLine()}.
     */
    void suppressTrailingLine() {
        noTrailingLine = true;
    }

    /** Whether the last command suppressed its empty line; clears it. */
    boolean takeNoTrailingLine() {
        boolean was = noTrailingLine;
        noTrailingLine = false;
        return was;
    }

    boolean quit() {
        return quit;
    }

    void requestQuit() {
        quit = true;
    }
}
