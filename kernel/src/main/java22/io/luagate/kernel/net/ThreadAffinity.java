package io.luagate.kernel.net;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.BitSet;
import java.util.Locale;
import java.util.Optional;

/**
 * Binds the calling thread to a set of CPUs: the C library's {@code sched_setaffinity(0, size,
 * mask)}, where pid 0 is the calling thread, called through the foreign function API (Java 22 and
 * newer; the Java 21 class of this multi-release jar says it is unavailable). No native library of
 * luagate's: the linker finds the symbol in the C library the JVM already uses.
 */
public final class ThreadAffinity {

    private static final String REASON;
    private static final MethodHandle SET_AFFINITY;
    /** The C library's errno right after the call, which the JVM may change before Java reads it. */
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final int EINVAL = 22;
    private static final int EPERM = 1;

    static {
        String reason = null;
        MethodHandle handle = null;
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            reason = "global.cpu-map binds threads on Linux only (this is " + System.getProperty("os.name") + ")";
        } else {
            try {
                Linker linker = Linker.nativeLinker();
                Optional<MemorySegment> symbol = linker.defaultLookup().find("sched_setaffinity");
                if (symbol.isEmpty()) {
                    reason = "global.cpu-map: the C library has no sched_setaffinity";
                } else {
                    handle = linker.downcallHandle(symbol.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
                            Linker.Option.captureCallState("errno"));
                }
            } catch (RuntimeException | LinkageError e) {
                // IllegalCallerException without --enable-native-access where it is enforced.
                reason = "global.cpu-map cannot call the C library: " + e;
            }
        }
        REASON = reason;
        SET_AFFINITY = handle;
    }

    private ThreadAffinity() {
    }

    /** Why binding is impossible on this runtime, or {@code null} when it is possible. */
    public static String unavailable() {
        return REASON;
    }

    /**
     * Binds the calling thread to {@code cpus}.
     *
     * @return {@code null} when bound, else why not (the kernel refuses a set without one of its CPUs)
     */
    public static String bindCurrentThread(BitSet cpus) {
        if (REASON != null) {
            return REASON;
        }
        long[] words = cpus.toLongArray();
        // The kernel reads the mask in whole longs; at least one, since an empty set is refused anyway.
        long bytes = Math.max(1, words.length) * Long.BYTES;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(bytes, Long.BYTES);
            for (int i = 0; i < words.length; i++) {
                mask.setAtIndex(ValueLayout.JAVA_LONG, i, words[i]);
            }
            MemorySegment state = arena.allocate(CALL_STATE);
            int result = (int) SET_AFFINITY.invokeExact(state, 0, bytes, mask);
            return result == 0 ? null : refusal(cpus, (int) ERRNO.get(state, 0L));
        } catch (Throwable e) {
            return "sched_setaffinity failed: " + e;
        }
    }

    /** What the kernel's errno says, in the words of sched_setaffinity(2). */
    static String refusal(BitSet cpus, int errno) {
        return switch (errno) {
            case EINVAL -> "sched_setaffinity refused CPUs " + cpus
                    + " (EINVAL: none of them is online and allowed to this process, its cgroup's cpuset included)";
            case EPERM -> "sched_setaffinity refused CPUs " + cpus + " (EPERM: not permitted)";
            default -> "sched_setaffinity refused CPUs " + cpus + " (errno " + errno + ")";
        };
    }
}
