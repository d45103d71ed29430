package io.luagate.plugin.pool;

import io.luagate.spi.pool.PoolSettings;
import io.luagate.spi.pool.UpstreamKey;
import io.luagate.spi.pool.UpstreamPool;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Idle connections of one backend on one event loop, in a stack per {@link UpstreamKey} (compared
 * with {@code equals}, so a connection only ever goes back to the exact destination it was made
 * for). The most recently used connection is handed out first: it is the one least likely to have
 * been closed by the server, and it lets the others age out. A periodic sweep closes connections
 * idle longer than the idle timeout. Confined to its loop, so nothing is locked.
 */
final class KeyedIdlePool implements UpstreamPool {

    private final EventLoop loop;
    private final int maxIdlePerKey;
    private final long idleTimeoutNanos;
    private final Map<UpstreamKey, ArrayDeque<Idle>> idle = new HashMap<>();
    private final ScheduledFuture<?> sweeper;
    private int count;
    private boolean closed;
    /** The last key used and its stack: most backends have one destination, so most look-ups skip hashing. */
    private UpstreamKey lastKey;
    private ArrayDeque<Idle> lastStack;

    /** One idle connection and since when it idles. */
    private record Idle(Channel channel, long since, int uses) {
    }

    KeyedIdlePool(EventLoop loop, PoolSettings settings) {
        this.loop = loop;
        this.maxIdlePerKey = settings.maxIdlePerKey();
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.idleTimeoutMillis());
        long period = Math.max(10, Math.min(1000, settings.idleTimeoutMillis() / 2));
        this.sweeper = loop.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public Channel poll(UpstreamKey key, int minUses) {
        assert loop.inEventLoop();
        ArrayDeque<Idle> stack = stack(key, false);
        if (stack == null) {
            return null;
        }
        Iterator<Idle> it = stack.iterator();
        while (it.hasNext()) {
            Idle entry = it.next();
            Channel channel = entry.channel();
            if (!usable(channel)) {
                it.remove();
                count--;
                channel.close();
                continue;
            }
            if (entry.uses() >= minUses) {
                it.remove();
                count--;
                return channel;
            }
        }
        return null;
    }

    /** Alive, and nothing arrived while idle (the codec closes a connection that talks out of turn). */
    private static boolean usable(Channel channel) {
        return channel.isActive() && channel.isWritable();
    }

    @Override
    public boolean offer(UpstreamKey key, Channel channel, int uses) {
        assert loop.inEventLoop();
        if (closed || maxIdlePerKey == 0 || channel.eventLoop() != loop) {
            return false;
        }
        ArrayDeque<Idle> stack = stack(key, true);
        if (stack.size() >= maxIdlePerKey) {
            return false;
        }
        stack.push(new Idle(channel, System.nanoTime(), uses));
        count++;
        return true;
    }

    /** The stack of {@code key}; same instance as last time: no hashing (keys of fixed servers are shared). */
    private ArrayDeque<Idle> stack(UpstreamKey key, boolean create) {
        if (key == lastKey) {
            return lastStack;
        }
        ArrayDeque<Idle> stack = create ? idle.computeIfAbsent(key, k -> new ArrayDeque<>()) : idle.get(key);
        if (stack != null) {
            lastKey = key;
            lastStack = stack;
        }
        return stack;
    }

    @Override
    public int idleCount() {
        return count;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Iterator<ArrayDeque<Idle>> stacks = idle.values().iterator(); stacks.hasNext(); ) {
            ArrayDeque<Idle> stack = stacks.next();
            // Oldest at the bottom: expire from there.
            for (Iterator<Idle> it = stack.descendingIterator(); it.hasNext(); ) {
                Idle entry = it.next();
                if (now - entry.since() >= idleTimeoutNanos || !entry.channel().isActive()) {
                    it.remove();
                    count--;
                    entry.channel().close();
                }
            }
            if (stack.isEmpty()) {
                stacks.remove();
                if (stack == lastStack) {
                    lastKey = null;
                    lastStack = null;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        sweeper.cancel(false);
        for (ArrayDeque<Idle> stack : idle.values()) {
            for (Idle entry : stack) {
                entry.channel().close();
            }
        }
        idle.clear();
        lastKey = null;
        lastStack = null;
        count = 0;
    }
}
