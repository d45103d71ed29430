package io.luagate.spi.extension;

/**
 * The figures of one registered script function since its state was loaded: one entry per
 * registration, named as the script registered it ({@code core.register_action("auth", ...)} is
 * {@code auth}, kind {@code action}). Per-thread states ({@code lua.load-per-thread}) add up into
 * one entry per registration.
 *
 * @param name           the registered name; for tasks and init functions, which have none, where
 *                       the function is defined ({@code checks.lua:12})
 * @param kind           {@code action}, {@code fetch}, {@code converter}, {@code service},
 *                       {@code filter}, {@code task} or {@code init}
 * @param calls          calls that started (an action's {@code act.YIELD} re-run is a call again)
 * @param errors         calls that ended in an error other than a timeout (a Lua error, a memory
 *                       limit); calls cancelled because their stream ended are not errors
 * @param timeouts       calls ended by {@code lua.session-timeout}, {@code service-timeout},
 *                       {@code task-timeout} or {@code burst-timeout}
 * @param runNanos       time spent running the function's Lua, sleeps and I/O waits excluded: the
 *                       wall-clock time of the slices in which it ran on its event loop, which is
 *                       CPU time for code that does not block (the JVM's per-thread CPU clock costs
 *                       a system call, too much per call). It includes the Lua fetches and
 *                       converters the function calls, and with {@code lua.suspension = thread} the
 *                       hand-overs to the call's own thread.
 * @param allocatedBytes bytes the function allocated on the JVM heap, estimated from a sample of
 *                       its calls (the allocation counter is read on one call in
 *                       {@link #ALLOCATION_SAMPLE}); -1 when none could be counted (calls that run
 *                       on a virtual thread, with {@code lua.suspension = thread})
 */
public record ScriptFunctionStats(String name, String kind, long calls, long errors, long timeouts, long runNanos,
                                  long allocatedBytes) {

    /** One call in this many has its allocation counted. */
    public static final int ALLOCATION_SAMPLE = 16;
}
