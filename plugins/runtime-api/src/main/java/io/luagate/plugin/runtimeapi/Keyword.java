package io.luagate.plugin.runtimeapi;

import java.util.List;

/**
 * One command: the words that name it ({@code show servers state}), its line in {@code help}
 * (HAProxy's text where HAProxy has the command; {@code null} for the three always listed last),
 * and what it does.
 */
record Keyword(List<String> words, String usage, Command command) {

    /** What a command does; returns the text to print (each line ending in LF), or throws {@link CliError}. */
    @FunctionalInterface
    interface Command {
        String run(Request request);
    }

    /** Whether the first words of {@code args} are this keyword's (HAProxy's {@code cli_find_kw}). */
    boolean matches(List<String> args) {
        if (args.size() < words.size()) {
            return false;
        }
        for (int i = 0; i < words.size(); i++) {
            if (!words.get(i).equals(args.get(i))) {
                return false;
            }
        }
        return true;
    }
}
