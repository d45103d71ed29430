package io.luagate.kernel.net;

import io.netty.channel.Channel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code global.maxconn}: counts client connections over all frontends. At the limit every
 * listener stops accepting (its auto-read is turned off), so new clients wait in the kernel's
 * accept queue as they do with HAProxy; one connection accepted in a race past the limit is closed
 * at once. Accepting resumes as soon as a connection closes.
 */
public final class ConnectionLimiter {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean paused;

    public ConnectionLimiter(int max) {
        this.max = max;
    }

    /** Takes a listening socket bound with auto-read off and lets it accept unless the limit is reached. */
    synchronized void addListener(Channel serverChannel) {
        listeners.add(serverChannel);
        serverChannel.config().setAutoRead(!paused);
    }

    synchronized void removeListener(Channel serverChannel) {
        listeners.remove(serverChannel);
    }

    /** Whether the limit holds every listener back now. */
    public boolean limited() {
        return paused;
    }

    /** Counts a new connection; {@code false} means it is over the limit and must be closed. */
    public boolean tryAcquire() {
        int now = open.incrementAndGet();
        if (now >= max) {
            update();
        }
        if (now > max) {
            release();
            return false;
        }
        return true;
    }

    public void release() {
        int now = open.decrementAndGet();
        // At the threshold, always go through the lock: a pause being decided concurrently is
        // then either seen here or sees this release.
        if (now == max - 1 || paused) {
            update();
        }
    }

    public int open() {
        return open.get();
    }

    /** Makes the listeners' state follow the count; only at the threshold, so never per connection. */
    private synchronized void update() {
        boolean full = open.get() >= max;
        if (full && !paused) {
            paused = true;
            listeners.forEach(ch -> ch.config().setAutoRead(false));
        } else if (!full && paused) {
            paused = false;
            listeners.forEach(ch -> ch.config().setAutoRead(true));
        }
    }
}
