package io.luagate.kernel.stream;

import io.netty.channel.EventLoop;
import java.util.HashSet;
import java.util.Set;

/** What the kernel keeps per event loop. Touched only from that loop, so nothing here is locked. */
public final class LoopContext {

    private final int index;
    private final EventLoop loop;
    private final Set<DefaultSession> sessions = new HashSet<>();

    public LoopContext(int index, EventLoop loop) {
        this.index = index;
        this.loop = loop;
    }

    /** 0-based, indexes per-loop arrays (balancers, pools). */
    public int index() {
        return index;
    }

    public EventLoop loop() {
        return loop;
    }

    void add(DefaultSession session) {
        sessions.add(session);
    }

    void remove(DefaultSession session) {
        sessions.remove(session);
    }

    /** A snapshot of the open sessions, for draining. */
    public Set<DefaultSession> sessions() {
        return Set.copyOf(sessions);
    }
}
