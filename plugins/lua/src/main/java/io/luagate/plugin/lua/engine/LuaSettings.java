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
 * @param maxHeap              the JVM heap Lua may take all states together ({@code lua.max-heap}); 0 = no limit
 * @param suspension           how calls suspend ({@code lua.suspension})
 * @param accounting           whether registered functions' calls are counted ({@code lua.accounting})
 */
public record LuaSettings(List<String> load, List<String> loadPerThread, List<String> prependPath, int forcedYield,
                          long sessionTimeoutNanos, long serviceTimeoutNanos, long taskTimeoutNanos,
                          long burstTimeoutNanos, long maxMemory, boolean runtimeIo, long maxHeap,
                          SuspensionMode suspension, boolean accounting) {

    /** Settings with per-function accounting on (the default). */
    public LuaSettings(List<String> load, List<String> loadPerThread, List<String> prependPath, int forcedYield,
                       long sessionTimeoutNanos, long serviceTimeoutNanos, long taskTimeoutNanos,
                       long burstTimeoutNanos, long maxMemory, boolean runtimeIo, long maxHeap,
                       SuspensionMode suspension) {
        this(load, loadPerThread, prependPath, forcedYield, sessionTimeoutNanos, serviceTimeoutNanos, taskTimeoutNanos,
                burstTimeoutNanos, maxMemory, runtimeIo, maxHeap, suspension, true);
    }

    /** Settings without a global heap budget, that suspend calls as {@code lua.suspension = auto} does. */
    public LuaSettings(List<String> load, List<String> loadPerThread, List<String> prependPath, int forcedYield,
                       long sessionTimeoutNanos, long serviceTimeoutNanos, long taskTimeoutNanos,
                       long burstTimeoutNanos, long maxMemory, boolean runtimeIo) {
        this(load, loadPerThread, prependPath, forcedYield, sessionTimeoutNanos, serviceTimeoutNanos, taskTimeoutNanos,
                burstTimeoutNanos, maxMemory, runtimeIo, 0, SuspensionMode.AUTO);
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
                maxHeap(section),
                suspension(section),
                section.bool("accounting"));
    }

    /** {@code max-heap}: a size, or a percentage of the JVM's largest heap ({@code -Xmx}); 0 = no limit. */
    private static long maxHeap(ConfigSection section) {
        String text = section.string("max-heap").trim();
        if (!text.endsWith("%")) {
            return section.bytes("max-heap", 0, Long.MAX_VALUE);
        }
        try {
            double percent = Double.parseDouble(text.substring(0, text.length() - 1).trim());
            if (percent > 0 && percent <= 100) {
                return (long) (Runtime.getRuntime().maxMemory() * percent / 100);
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        section.problem("max-heap", "must be a size (512m) or a percentage of the JVM's heap between 0 and 100% (90%), not '"
                + text + "'");
        return 0;
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
