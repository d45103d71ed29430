package io.luagate.kernel.net;

import io.luagate.kernel.config.Settings;
import io.luagate.spi.tls.TlsListener;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one frontend and its listening state, as HAProxy has it: open; paused
 * (HAProxy's {@code disable frontend}: the sockets are closed, releasing the port, so new
 * connections are refused, and bound again on the same addresses by a resume); or stopped
 * (HAProxy's {@code shutdown frontend}: closed for good). Open client connections are never
 * touched. Changes are rare admin calls, serialised here; each one starts a new generation, so a
 * socket whose bind completes after a later change is closed instead of joining.
 */
public final class FrontendListeners {

    private static final Logger LOG = LoggerFactory.getLogger(FrontendListeners.class);

    private final String frontend;
    private final ConnectionLimiter limiter;
    private final List<BoundListener> listeners;
    private volatile boolean paused;
    private volatile boolean stopped;
    /** Guarded by this. */
    private int generation;

    public FrontendListeners(String frontend, List<Settings.Bind> binds, ConnectionLimiter limiter) {
        this(frontend, binds, java.util.Collections.nCopies(binds.size(), null), limiter);
    }

    /** @param tls each bind's TLS, as the tls plugin compiled it; {@code null} entries for plain binds */
    public FrontendListeners(String frontend, List<Settings.Bind> binds, List<TlsListener> tls, ConnectionLimiter limiter) {
        this.frontend = frontend;
        this.limiter = limiter;
        List<BoundListener> list = new ArrayList<>(binds.size());
        for (int i = 0; i < binds.size(); i++) {
            list.add(new BoundListener(binds.get(i), tls.get(i), this));
        }
        this.listeners = List.copyOf(list);
    }

    /** The bind entries, in configuration order. */
    public List<BoundListener> all() {
        return listeners;
    }

    public boolean paused() {
        return paused;
    }

    public boolean stopped() {
        return stopped;
    }

    ConnectionLimiter limiter() {
        return limiter;
    }

    synchronized int generation() {
        return generation;
    }

    /** Closes the listening sockets, keeping their addresses for {@link #resume}. Does not wait (the caller may be an event loop). */
    public synchronized void pause() {
        if (stopped || paused) {
            return;
        }
        paused = true;
        generation++;
        releaseAll();
    }

    /** Binds the addresses again, without waiting; a failure is logged and leaves the frontend paused. */
    public synchronized void resume() {
        if (stopped || !paused) {
            return;
        }
        paused = false;
        generation++;
        for (BoundListener listener : listeners) {
            listener.rebind(generation);
        }
    }

    /** Closes the listening sockets for good. Does not wait. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        paused = false;
        generation++;
        releaseAll();
    }

    /** A socket bound for {@code generation}: it accepts if that is still the frontend's state, else it closes. */
    synchronized void adopt(BoundListener listener, Channel channel, int generation) {
        if (generation != this.generation || paused || stopped) {
            channel.close();
            return;
        }
        listener.add(channel);
        limiter.addListener(channel);
    }

    /** Gives up {@code listener}'s sockets, open, to a new generation's listener ({@link BoundListener#takeOver}). */
    synchronized List<Channel> handOver(BoundListener listener) {
        return listener.handOver();
    }

    /**
     * Takes sockets a previous generation handed over; they keep accepting. If this frontend was
     * paused or stopped meanwhile (a script at init), they close as a socket bound late would.
     */
    synchronized void takeIn(BoundListener listener, List<Channel> channels) {
        for (Channel channel : channels) {
            if (paused || stopped) {
                limiter.removeListener(channel);
                channel.close();
            } else {
                listener.add(channel);
            }
        }
    }

    /** As HAProxy does when a resume cannot bind: back to paused. */
    synchronized void rebindFailed(BoundListener listener, int generation, Throwable cause) {
        if (generation != this.generation) {
            return;
        }
        LOG.warn("frontend {}: cannot listen on {} again ({}); the frontend stays paused", frontend,
                listener.address(), cause.toString());
        paused = true;
        this.generation++;
        releaseAll();
    }

    private void releaseAll() {
        for (BoundListener listener : listeners) {
            for (Channel channel : listener.release()) {
                limiter.removeListener(channel);
                channel.close();
            }
        }
    }
}
