package io.luagate.kernel.plugin;

/**
 * Why a file of the plugins directory does not serve: one line, naming the file.
 *
 * @param where   the jar (or the directory) the problem is about
 * @param message what is wrong and, where it can be said, how to fix it
 */
public record PluginProblem(String where, String message) {

    @Override
    public String toString() {
        return where + ": " + message;
    }
}
