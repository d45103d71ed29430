package io.luagate.plugin.runtimeapi;

/** The state of one runtime API connection that commands may read and change. */
final class CliConnection {

    private Level level;
    private boolean interactive;
    private boolean quit;

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

    boolean quit() {
        return quit;
    }

    void requestQuit() {
        quit = true;
    }
}
