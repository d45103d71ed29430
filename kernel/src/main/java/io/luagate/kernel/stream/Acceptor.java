package io.luagate.kernel.stream;

import io.luagate.kernel.net.BoundListener;
import io.luagate.kernel.proxy.DefaultFrontend;
import io.luagate.spi.tls.TlsListener;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import java.util.function.ToIntFunction;

/**
 * What one listening socket does with each connection it accepts: the {@link Route} it holds now
 * (the frontend and bind of the generation currently served on that socket) makes the session,
 * installs TLS when the bind has it, then the frontend's codec. A reload that keeps the socket
 * points the acceptor at the new generation's route: the socket is never closed nor bound again,
 * so no connection is missed. Sessions ask it for the route again before each new stream
 * ({@link DefaultSession}), which is how keep-alive connections follow a reload: one volatile read.
 */
@ChannelHandler.Sharable
public final class Acceptor extends ChannelInitializer<Channel> {

    /**
     * Where connections of one socket go in one generation.
     *
     * @param frontend the frontend serving the socket
     * @param listener its bind entry
     * @param lease    the generation's count of sessions
     */
    public record Route(DefaultFrontend frontend, BoundListener listener, GenerationLease lease) {
    }

    private final Kernel kernel;
    private final LoopContext[] contexts;
    private final ToIntFunction<Channel> loopIndex;
    private volatile Route route;
    /** The socket closed for good (its bind is gone from the configuration): its sessions drain. */
    private volatile boolean retired;

    /**
     * @param contexts  the per-loop state, by loop index
     * @param loopIndex the index of an accepted connection's loop
     */
    public Acceptor(Route route, Kernel kernel, LoopContext[] contexts, ToIntFunction<Channel> loopIndex) {
        this.route = route;
        this.kernel = kernel;
        this.contexts = contexts;
        this.loopIndex = loopIndex;
    }

    /** The route of the current generation on this socket. */
    public Route route() {
        return route;
    }

    /** Hands the socket's next connections (and its sessions' next streams) to {@code next}. */
    public void reroute(Route next) {
        this.route = next;
    }

    /** The socket's bind left the configuration: its sessions serve their current request, then close. */
    public void retire() {
        retired = true;
    }

    boolean retired() {
        return retired;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (!kernel.limiter().tryAcquire()) {
            ch.close();
            return;
        }
        Route now = route;
        // The route read may belong to a generation retired since: the current one is then in route.
        while (!now.lease().enter()) {
            Route again = route;
            if (again == now) {
                kernel.limiter().release();
                ch.close();
                return;
            }
            now = again;
        }
        now.frontend().accepted();
        DefaultSession session = new DefaultSession(now, this, ch, contexts[loopIndex.applyAsInt(ch)], kernel);
        TlsListener tls = now.listener().tls();
        if (tls != null) {
            tls.install(ch);
        }
        now.frontend().codec().initClient(ch, session);
    }
}
