package io.luagate.kernel.net;

import io.luagate.kernel.config.Settings;
import io.luagate.spi.proxy.Listener;
import io.luagate.spi.tls.TlsListener;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@code bind} entry of a frontend and its listening sockets: one per event loop with
 * SO_REUSEPORT, else one. Exists from the build of the proxies, before anything is bound, so
 * scripts can see it at init; its sockets come when luagate listens, go when its frontend pauses
 * and come back, on the same address, when it resumes. Its frontend serialises those changes.
 */
public final class BoundListener implements Listener {

    private final Settings.Bind bind;
    private final TlsListener tls;
    private final FrontendListeners owner;
    private final List<Channel> channels = new CopyOnWriteArrayList<>();
    /** Close futures of the sockets a pause released: a resume binds again once they are gone. Guarded by the owner. */
    private final List<ChannelFuture> releasing = new ArrayList<>();
    private volatile InetSocketAddress boundAddress;
    private volatile Listeners binder;
    private volatile ChannelInitializer<Channel> accept;

    BoundListener(Settings.Bind bind, TlsListener tls, FrontendListeners owner) {
        this.bind = bind;
        this.tls = tls;
        this.owner = owner;
    }

    public Settings.Bind bind() {
        return bind;
    }

    /** The TLS its connections start with ({@code ssl = true}), or {@code null}. */
    public TlsListener tls() {
        return tls;
    }

    @Override
    public InetSocketAddress address() {
        InetSocketAddress bound = boundAddress;
        return bound != null ? bound : bind.address();
    }

    @Override
    public String protocol() {
        return bind.proto();
    }

    @Override
    public boolean limited() {
        return !channels.isEmpty() && owner.limiter().limited();
    }

    /** The sockets open now. */
    List<Channel> channels() {
        return channels;
    }

    /** The addresses its open sockets listen on: one per socket (one per loop with SO_REUSEPORT). */
    public List<InetSocketAddress> addresses() {
        List<InetSocketAddress> list = new ArrayList<>(channels.size());
        for (Channel channel : channels) {
            list.add((InetSocketAddress) channel.localAddress());
        }
        return list;
    }

    /** Whether it has sockets open now (not paused, stopped, or not yet listening). */
    public boolean listening() {
        return !channels.isEmpty();
    }

    /** What its sockets do with accepted connections; {@code null} before it listens. */
    public ChannelInitializer<Channel> acceptor() {
        return accept;
    }

    /**
     * Takes {@code old}'s open sockets over, without closing them (a reload keeps this bind): they
     * go on accepting, handing connections to the same acceptor, and this listener pauses,
     * resumes and stops them from now on. {@code old} is left without sockets.
     */
    public void takeOver(BoundListener old) {
        List<Channel> moved = old.owner.handOver(old);
        if (old.boundAddress != null) {
            boundAddress = old.boundAddress;
        }
        attach(old.binder, old.accept);
        owner.takeIn(this, moved);
    }

    /** Remembers how to bind this entry again (a resume). */
    void attach(Listeners binder, ChannelInitializer<Channel> accept) {
        this.binder = binder;
        this.accept = accept;
    }

    int generation() {
        return owner.generation();
    }

    /** A socket was bound for {@code generation} of its frontend's state; the frontend keeps or closes it. */
    void bound(Channel channel, int generation) {
        if (boundAddress == null) {
            boundAddress = (InetSocketAddress) channel.localAddress();
        }
        owner.adopt(this, channel, generation);
    }

    void rebindFailed(int generation, Throwable cause) {
        owner.rebindFailed(this, generation, cause);
    }

    /** Called by the owner, under its lock. */
    void add(Channel channel) {
        channels.add(channel);
    }

    /** Called by the owner, under its lock: removes and returns the open sockets, remembering their closing. */
    List<Channel> release() {
        List<Channel> released = new ArrayList<>(channels);
        channels.clear();
        for (Channel channel : released) {
            releasing.add(channel.closeFuture());
        }
        return released;
    }

    /** Called by the owner, under its lock: removes and returns the open sockets, left open for a new generation. */
    List<Channel> handOver() {
        List<Channel> handed = new ArrayList<>(channels);
        channels.clear();
        return handed;
    }

    /** Called by the owner, under its lock: binds again once the released sockets are closed. */
    void rebind(int generation) {
        Listeners listeners = binder;
        if (listeners == null) {
            return; // not listening yet: luagate's start binds it
        }
        List<ChannelFuture> waiting = new ArrayList<>(releasing);
        releasing.clear();
        if (waiting.isEmpty()) {
            listeners.rebind(this, accept, generation);
            return;
        }
        // Without SO_REUSEPORT the address is free only once the old socket is closed.
        AtomicInteger left = new AtomicInteger(waiting.size());
        for (ChannelFuture closing : waiting) {
            closing.addListener(f -> {
                if (left.decrementAndGet() == 0) {
                    listeners.rebind(this, accept, generation);
                }
            });
        }
    }
}
