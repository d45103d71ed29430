package io.luagate.plugin.runtimeapi;

/**
 * A command's refusal, answered with {@link #getMessage()} as it is (HAProxy's {@code cli_err}):
 * most texts end with a line feed, a few of HAProxy's do not, and are copied as they are.
 */
final class CliError extends RuntimeException {

    CliError(String text) {
        super(text, null, false, false);
    }
}
