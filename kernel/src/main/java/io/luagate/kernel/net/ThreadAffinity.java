package io.luagate.kernel.net;

import java.util.BitSet;

/**
 * Binds the calling thread to a set of CPUs (Linux's {@code sched_setaffinity}). This is the
 * Java 21 class of a multi-release jar: the call needs the foreign function API, final in Java 22,
 * so here it is unavailable; {@code src/main/java22} holds the class that Java 22 and newer load.
 */
public final class ThreadAffinity {

    private ThreadAffinity() {
    }

    /** Why binding is impossible on this runtime, or {@code null} when it is possible. */
    public static String unavailable() {
        int feature = Runtime.version().feature();
        return feature < 22
                ? "global.cpu-map needs Java 22 or newer (this is Java " + feature
                        + "): it binds threads through the foreign function API"
                // A kernel built by JDK 21, or its classes read from a directory (where a
                // multi-release jar's META-INF/versions is not looked at).
                : "global.cpu-map: this luagate kernel lacks its Java 22 classes (build it with a JDK 22 or newer)";
    }

    /**
     * Binds the calling thread to {@code cpus}.
     *
     * @return {@code null} when bound, else why not
     */
    public static String bindCurrentThread(BitSet cpus) {
        return unavailable();
    }
}
