package io.luagate.plugin.lua.engine;

import io.luagate.spi.config.ConfigSection;
import java.time.Duration;
import java.util.List;

/**
 * The {@code lua} configuration section.
 *
 * @param forcedYield          instructions between two checks of the limits
 * @param sessionTimeoutNanos  Lua run time allowed to an action, fetch, converter or filter call
 * @param serviceTimeoutNanos  the same for a service
 * @param taskTimeoutNanos     the same for a task; 0 = none
 * @param burstTimeoutNanos    longest uninterrupted run
 * @param maxMemory            bytes one call may allocate; 0 = unlimited
 * @param runtimeIo            whether the {@code io} library works once init is over
 * @param suspension           how calls suspend ({@code lua.suspension})
 */
public record LuaSettings(List<String> load, List<String> loadPerThread, List<String> prependPath, int forcedYield,
                          long sessionTimeoutNanos, long serviceTimeoutNanos, long taskTimeoutNanos,
                          long burstTimeoutNanos, long maxMemory, boolean runtimeIo, SuspensionMode suspension) {

    /** Settings that suspend calls as {@code lua.suspension = auto} does. */
    public LuaSettings(List<String> load, List<String> loadPerThread, List<String> prependPath, int forcedYield,
                       long sessionTimeoutNanos, long serviceTimeoutNanos, long taskTimeoutNanos,
                       long burstTimeoutNanos, long maxMemory, boolean runtimeIo) {
        this(load, loadPerThread, prependPath, forcedYield, sessionTimeoutNanos, serviceTimeoutNanos, taskTimeoutNanos,
                burstTimeoutNanos, maxMemory, runtimeIo, SuspensionMode.AUTO);
    }

    private static final Duration DAY = Duration.ofDays(1);

    /** Settings with file I/O allowed at run time (the default). */
    public LuaSettings(List<String> load, List<String> loadPerThread, List<String> prependPath, int forcedYield,
                       long sessionTimeoutNanos, long serviceTimeoutNanos, long taskTimeoutNanos,
                       long burstTimeoutNanos, long maxMemory) {
        this(load, loadPerThread, prependPath, forcedYield, sessionTimeoutNanos, serviceTimeoutNanos, taskTimeoutNanos,
                burstTimeoutNanos, maxMemory, true);
    }

    public static LuaSettings read(ConfigSection section) {
        return new LuaSettings(
                section.strings("load"),
                section.strings("load-per-thread"),
                section.strings("prepend-path"),
                section.integer("forced-yield", 1, 100_000_000),
                nanos(section, "session-timeout"),
                nanos(section, "service-timeout"),
                nanos(section, "task-timeout"),
                nanos(section, "burst-timeout"),
                section.bytes("maxmem", 0, Long.MAX_VALUE),
                section.bool("runtime-io"),
                suspension(section));
    }

    private static SuspensionMode suspension(ConfigSection section) {
        try {
            return SuspensionMode.parse(section.string("suspension"));
        } catch (IllegalArgumentException e) {
            section.problem("suspension", e.getMessage());
            return SuspensionMode.AUTO;
        }
    }

    private static long nanos(ConfigSection section, String key) {
        return section.millis(key, Duration.ZERO, DAY) * 1_000_000L;
    }

    /** Whether any script is configured at all. */
    public boolean enabled() {
        return !load.isEmpty() || !loadPerThread.isEmpty();
    }
}
