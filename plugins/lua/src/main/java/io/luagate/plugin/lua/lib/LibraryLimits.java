package io.luagate.plugin.lua.lib;

/**
 * What a long-running library function calls now and then so that the running Lua call's limits
 * (its timeout, lua.maxmem, forced yields) apply inside it too: one library call, such as a
 * backtracking pattern match, can otherwise run for seconds between two instruction-count ticks.
 * The engine supplies one per state; {@link #NONE} where no limits apply (tests, tools).
 */
@FunctionalInterface
public interface LibraryLimits {

    LibraryLimits NONE = () -> {
    };

    /** Throws (or yields) as the instruction hook would at a tick. */
    void check();
}
