package io.luagate.plugin.lua.lib;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.luaj.vm2.LuaError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global Lua heap budget ({@code lua.max-heap}): the JVM's heap still in use after its last
 * collection (what lives, plus garbage the collector has not reached yet) may not grow past it
 * through Lua. Over it, Lua calls that run long enough to meet a limit check end with "not enough
 * memory", and library functions that build one large value ({@code string.rep}, {@code ..} of big
 * strings, {@code table.concat}, {@code string.format}) refuse it before allocating, so a script
 * that keeps growing a global fails its calls while the process and the other requests go on,
 * instead of the JVM failing wherever its heap runs out. JVM-wide, as the heap is.
 */
public final class HeapBudget {

    private static final Logger LOG = LoggerFactory.getLogger("io.luagate.lua");

    private static volatile long limit;
    private static volatile long usedAfterGc;
    private static final AtomicLong refusals = new AtomicLong();
    private static boolean listening;

    private HeapBudget() {
    }

    /**
     * Sets the budget in bytes (0: none) and starts following the collector's reports. A budget
     * set again replaces the previous one (one per JVM).
     */
    public static synchronized void configure(long bytes) {
        limit = bytes;
        if (bytes > 0 && !listening) {
            listen();
            listening = true;
        }
    }

    /** The budget in bytes; 0 = none. */
    public static long limit() {
        return limit;
    }

    /** Whether the heap in use after the last collection is over the budget. */
    public static boolean over() {
        long l = limit;
        return l > 0 && usedAfterGc > l;
    }

    /**
     * Refuses, with Lua's "not enough memory" error, a value of {@code bytes} that would take the
     * heap past the budget. Called before such a value is allocated.
     */
    public static void reserve(long bytes) {
        long l = limit;
        if (l > 0 && usedAfterGc + bytes > l) {
            throw new LuaError(refused());
        }
    }

    /** The error text of a refusal, counted and logged (the first, then at every power of two). */
    public static String refused() {
        long n = refusals.incrementAndGet();
        String text = "not enough memory (lua.max-heap: " + (usedAfterGc >> 20) + " MiB of the heap in use, "
                + (limit >> 20) + " MiB allowed)";
        if (Long.bitCount(n) == 1) {
            LOG.warn("lua: {} Lua allocations refused so far: {}", n, text);
        }
        return text;
    }

    /** The heap in use after the last collection the JVM reported (0 before the first, or without a budget). */
    public static long usedAfterCollection() {
        return usedAfterGc;
    }

    private static void listen() {
        Set<String> heapPools = new HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        NotificationListener listener = (Notification notification, Object handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long used = 0;
            for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.contains(pool.getKey())) {
                    used += pool.getValue().getUsed();
                }
            }
            usedAfterGc = used;
        };
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
            }
        }
    }
}
