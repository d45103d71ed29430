package io.luagate.spi.extension;

import java.util.List;

/**
 * What a reload ({@link ExtensionRuntime#reload()}) did.
 *
 * <p>On success, {@code generation} is the number of the generation now taking every new stream
 * (the first, started with the process, is 1) and {@code problems} is empty. On failure nothing
 * changed: {@code generation} is the one still running, and {@code problems} holds every problem
 * found, one line each, as {@code luagate check} prints them ({@code file:line: key: message}).
 * {@code notes} are lines worth telling either way (what a reload does not change, what it closed).
 *
 * @param success    whether the new configuration now serves
 * @param generation the generation serving new streams after the call
 * @param problems   why the configuration was refused; empty on success
 * @param notes      remarks that do not refuse the reload
 */
public record ReloadResult(boolean success, long generation, List<String> problems, List<String> notes) {

    public ReloadResult {
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    /** The new configuration serves as generation {@code generation}. */
    public static ReloadResult succeeded(long generation, List<String> notes) {
        return new ReloadResult(true, generation, List.of(), notes);
    }

    /** The configuration was refused; generation {@code running} still serves. */
    public static ReloadResult refused(long running, List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a refused reload names its problems");
        }
        return new ReloadResult(false, running, problems, List.of());
    }
}
