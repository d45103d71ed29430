package io.luagate.plugin.lua.engine;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code lua.suspension}: which {@link Fibers} implementation suspends Lua calls. */
public enum SuspensionMode {
    /** Continuations when the JVM opens {@code jdk.internal.vm} to luagate, else threads. */
    AUTO,
    /** The JDK's continuations; the start fails with advice when they are not accessible. */
    CONTINUATION,
    /** A virtual thread per suspendable stack, public JDK API only. */
    THREAD;

    private static final Logger LOG = LoggerFactory.getLogger("io.luagate.lua");

    /** Reads the configured word. */
    public static SuspensionMode parse(String word) {
        try {
            return valueOf(word.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + word + "' is not one of auto, continuation, thread");
        }
    }

    /** Why this mode cannot work on this JVM (the advice to give), or {@code null} when it can. */
    public String unavailable() {
        if (this != CONTINUATION || ContinuationFibers.unavailable() == null) {
            return null;
        }
        try {
            ContinuationFibers.requireAvailable();
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /**
     * The implementation this mode gives on this JVM, said in one INFO line.
     *
     * @throws IllegalStateException for {@link #CONTINUATION} when continuations are not accessible
     */
    Fibers select() {
        Fibers fibers = switch (this) {
            case CONTINUATION -> {
                ContinuationFibers.requireAvailable();
                yield new ContinuationFibers();
            }
            case THREAD -> new ThreadFibers();
            case AUTO -> ContinuationFibers.unavailable() == null ? new ContinuationFibers() : new ThreadFibers();
        };
        if (this == AUTO && fibers instanceof ThreadFibers) {
            LOG.info("lua: calls suspend by {} (lua.suspension = auto; JDK continuations are not accessible: {})",
                    fibers.describe(), String.valueOf(ContinuationFibers.unavailable()));
        } else {
            LOG.info("lua: calls suspend by {} (lua.suspension = {})", fibers.describe(), name().toLowerCase(Locale.ROOT));
        }
        return fibers;
    }
}
