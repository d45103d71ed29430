package io.luagate.plugin.runtimeapi;

/**
 * A command's refusal, answered with {@link #getMessage()} as it is (HAProxy's {@code cli_err}):
 * most texts end with a line feed, a few of HAProxy's do not, and are copied as they are.
 */
final class CliError extends RuntimeException {

    private final boolean noTrailingLine;

    CliError(String text) {
        this(text, false);
    }

    /** @param noTrailingLine HAProxy's NOLF: the refusal is not followed by the usual empty line */
    CliError(String text, boolean noTrailingLine) {
        super(text, null, false, false);
        this.noTrailingLine = noTrailingLine;
    }

    boolean noTrailingLine() {
        return noTrailingLine;
    }
}
