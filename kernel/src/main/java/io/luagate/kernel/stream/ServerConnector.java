package io.luagate.kernel.stream;

import io.luagate.kernel.proxy.DefaultBackend;
import io.luagate.kernel.proxy.DefaultServer;
import io.luagate.kernel.proxy.ServerTls;
import io.luagate.spi.balancer.Balancer;
import io.luagate.spi.codec.MultiplexedConnection;
import io.luagate.spi.health.ObservedOutcome;
import io.luagate.spi.health.ServerObserver;
import io.luagate.spi.pool.UpstreamKey;
import io.luagate.spi.pool.UpstreamPool;
import io.luagate.spi.proxy.HttpReuse;
import io.luagate.spi.stream.ConnectListener;
import io.luagate.spi.stream.ReusePolicy;
import io.luagate.spi.stream.StreamPhase;
import io.luagate.spi.stream.TerminationCause;
import io.luagate.spi.stream.UpstreamConnection;
import io.luagate.spi.tls.TlsSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ConnectTimeoutException;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How one stream reaches a server (HAProxy's connect analyser with its reuse rules): the
 * balancer's choice, then, in this order, a stream on a multiplexed connection made for exactly
 * the stream's destination key, an idle connection of the pool, the multiplexed connection another
 * stream is making for that key, or a connection of its own; a failed attempt is retried on
 * another server up to the backend's {@code retries}. Then, when the codec is done with the
 * connection, its way back to the pool. Confined to the stream's event loop.
 */
final class ServerConnector {

    private static final AttributeKey<AtomicInteger> USES = AttributeKey.valueOf("luagate.upstream.uses");

    private final DefaultStream stream;
    private final DefaultSession session;
    private ReusePolicy policy;
    private ConnectListener listener;
    /** The multiplexed connection this stream's attempt is making and announced, until it is up or failed. */
    private Promise<MultiplexedConnection> announced;
    /** The stream's key for the balancer, read once: every attempt of the stream hashes the same value. */
    private byte[] balanceKey;
    private boolean keyRead;

    ServerConnector(DefaultStream stream) {
        this.stream = stream;
        this.session = stream.session();
    }

    void connect(ReusePolicy policy, ConnectListener listener) {
        this.policy = policy;
        this.listener = listener;
        attempt(null);
    }

    private void attempt(DefaultServer avoid) {
        DefaultBackend backend = stream.backend();
        if (!keyRead) {
            keyRead = true;
            balanceKey = backend.balanceKey(stream.txn());
        }
        Balancer balancer = backend.balancer(session.loop().index());
        DefaultServer chosen = (DefaultServer) balancer.next(avoid, balanceKey);
        if (chosen == null) {
            stream.terminate(TerminationCause.SERVER_ABORT, StreamPhase.CONNECT);
            listener.failed(new ConnectException("no server is available in backend " + backend.name()));
            return;
        }
        attemptOn(chosen, balancer);
    }

    /** An attempt on {@code chosen}: the first, a redispatched one, or a retry on the same server. */
    private void attemptOn(DefaultServer chosen, Balancer balancer) {
        DefaultBackend backend = stream.backend();
        stream.assign(chosen, balancer);
        ServerTls tls = chosen.tls();
        String sni = tls == null ? null : tls.serverName(stream.txn());
        UpstreamKey key = chosen.keyFor(stream.destination(), sni);
        // Only these may have multiplexed connections: the others skip the look-up.
        boolean mayMultiplex = chosen.mayMultiplex();
        if (policy == ReusePolicy.BACKEND_DEFAULT) {
            MultiplexedConnection shared = mayMultiplex ? session.takeMultiplexed(backend, key) : null;
            if (shared != null) {
                stream.connectStarted();
                openStream(shared, chosen, key, true);
                return;
            }
            Channel idle = session.takeIdle(backend, key);
            if (idle != null) {
                stream.connected(tlsOf(idle, chosen));
                listener.connected(new UpstreamConnection(idle, chosen, key, true));
                return;
            }
            Future<MultiplexedConnection> coming = mayMultiplex ? session.comingMultiplexed(backend, key) : null;
            if (coming != null) {
                awaitComing(coming, chosen, key, sni);
                return;
            }
        }
        connectNew(chosen, key, sni, mayMultiplex);
    }

    /**
     * Waits for the multiplexed connection another stream is making for {@code key}, then opens a
     * stream on it; when none came of it (HTTP/1.1, a failure) or it is full, connects anew.
     */
    private void awaitComing(Future<MultiplexedConnection> coming, DefaultServer chosen, UpstreamKey key, String sni) {
        stream.connectStarted();
        coming.addListener(f -> {
            MultiplexedConnection connection = coming.isSuccess() ? coming.getNow() : null;
            if (connection != null && connection.canOpen()) {
                openStream(connection, chosen, key, true);
            } else {
                connectNew(chosen, key, sni, true);
            }
        });
    }

    /** A brand-new connection to {@code chosen}, announced to the streams that may share it when it will be multiplexed. */
    private void connectNew(DefaultServer chosen, UpstreamKey key, String sni, boolean mayMultiplex) {
        DefaultBackend backend = stream.backend();
        ServerTls tls = chosen.tls();
        stream.connectStarted();
        if (mayMultiplex) {
            Promise<MultiplexedConnection> coming = session.channel().eventLoop().newPromise();
            if (session.announceMultiplexed(backend, key, chosen.priorKnowledgeH2(), coming)) {
                announced = coming;
            }
        }
        ChannelFuture future = backend.bootstrap(session.loop().index()).connect(key.address());
        future.addListener(f -> {
            ServerObserver observer = chosen.observer();
            if (observer != null) {
                observer.observed(future.isSuccess() ? ObservedOutcome.L4_OK : ObservedOutcome.L4_ERROR);
            }
            if (!future.isSuccess()) {
                connectFailed(future.cause(), chosen);
            } else if (tls == null) {
                connected(future.channel(), null, chosen, key);
            } else {
                // HAProxy counts the handshake in the connect: its failure is a failed attempt (SC).
                tls.origin().handshake(future.channel(), sni).addListener(h -> {
                    if (h.isSuccess()) {
                        connected(future.channel(), future.channel().attr(TlsSession.ATTRIBUTE).get(), chosen, key);
                    } else {
                        connectFailed(h.cause(), chosen);
                    }
                });
            }
        });
    }

    /** Tells the streams waiting for the connection this attempt announced what came of it. */
    private void resolveAnnounced(MultiplexedConnection connection) {
        Promise<MultiplexedConnection> coming = announced;
        if (coming != null) {
            announced = null;
            coming.trySuccess(connection);
        }
    }

    /**
     * A new connection is up (its TLS handshake done): used as is, or, when it speaks a multiplexed
     * protocol (the server's {@code proto}, else ALPN's choice), made multiplexed first; a server
     * that does not speak it fails the attempt as a failed connect would.
     */
    private void connected(Channel channel, TlsSession tls, DefaultServer chosen, UpstreamKey key) {
        DefaultBackend backend = stream.backend();
        String protocol = chosen.proto() != null ? chosen.proto() : tls != null ? tls.applicationProtocol() : null;
        Future<MultiplexedConnection> multiplexed = protocol == null ? null
                : backend.codec().multiplex(channel, protocol, backend.settings().connectTimeoutMillis(),
                        backend.settings().poolIdleTimeoutMillis());
        if (multiplexed == null) {
            resolveAnnounced(null);
            stream.connected(tls);
            listener.connected(new UpstreamConnection(channel, chosen, key, false));
            return;
        }
        multiplexed.addListener(m -> {
            if (!multiplexed.isSuccess()) {
                channel.close();
                connectFailed(multiplexed.cause(), chosen);
                return;
            }
            MultiplexedConnection connection = multiplexed.getNow();
            session.addMultiplexed(backend, key, connection);
            // This stream's own stream first: the waiting ones then see what room is left.
            openStream(connection, chosen, key, false);
            resolveAnnounced(connection);
        });
    }

    /** Takes one stream of {@code connection}; a connection that cannot open it fails the attempt. */
    private void openStream(MultiplexedConnection connection, DefaultServer chosen, UpstreamKey key, boolean reused) {
        Future<Channel> opened = connection.open();
        opened.addListener(o -> {
            if (!opened.isSuccess()) {
                connectFailed(opened.cause(), chosen);
                return;
            }
            stream.connected(tlsOf(connection.channel(), chosen));
            listener.connected(new UpstreamConnection(opened.getNow(), chosen, key, reused));
        });
    }

    private void connectFailed(Throwable cause, DefaultServer chosen) {
        DefaultBackend backend = stream.backend();
        resolveAnnounced(null);
        backend.traffic().connectFailed();
        chosen.traffic().connectFailed();
        if (!session.channel().isActive()) {
            // The client left while we were connecting: nothing to retry for.
            stream.terminate(TerminationCause.CLIENT_ABORT, StreamPhase.CONNECT);
            listener.failed(cause);
            return;
        }
        if (stream.retries < backend.retries()) {
            stream.retries++;
            retry(cause, chosen);
            return;
        }
        stream.terminate(cause instanceof ConnectTimeoutException
                ? TerminationCause.SERVER_TIMEOUT : TerminationCause.SERVER_ABORT, StreamPhase.CONNECT);
        listener.failed(cause);
    }

    /**
     * HAProxy's choice after a failed connect ({@code stream_choose_redispatch}, then the
     * turn-around of {@code back_handle_st_cer}): with {@code redispatch}, another server when
     * {@code chosen} is no longer UP, on the retries its interval names (the last one by default),
     * or at once with a round-robin balancer and more than one active server up; else the same
     * server. A refused connect retried on the same server (or not at once round-robin) waits
     * min(1s, {@code timeout.connect}) first, as HAProxy's turn-around; a timed-out one does not.
     */
    private void retry(Throwable cause, DefaultServer chosen) {
        DefaultBackend backend = stream.backend();
        int interval = backend.settings().redispatch();
        int retry = stream.retries;
        boolean roundRobin = backend.settings().balance().equals("roundrobin") || backend.settings().balance().equals("static-rr");
        int activeUp = interval == 0 ? 0 : activeUp(backend);
        boolean redispatch = interval != 0 && (!chosen.isUp()
                || interval > 0 && retry % interval == 0
                || interval < 0 && retry % Math.max(1, backend.retries() + 1 + interval) == 0
                || activeUp > 1 && roundRobin);
        Balancer balancer = backend.balancer(session.loop().index());
        Runnable next = redispatch ? () -> attempt(chosen) : () -> attemptOn(chosen, balancer);
        boolean wait = !(cause instanceof ConnectTimeoutException) && (!redispatch || !roundRobin || activeUp <= 1);
        if (!wait) {
            next.run();
            return;
        }
        long delay = Math.min(1000, backend.connectTimeoutMillis());
        session.channel().eventLoop().schedule(() -> {
            if (session.channel().isActive()) {
                next.run();
            } else {
                stream.terminate(TerminationCause.CLIENT_ABORT, StreamPhase.CONNECT);
                listener.failed(cause);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** HAProxy's srv_act: the active servers up now. */
    private static int activeUp(DefaultBackend backend) {
        int n = 0;
        for (DefaultServer server : backend.servers()) {
            if (!server.isBackup() && server.isUp() && server.weight() > 0) {
                n++;
            }
        }
        return n;
    }

    /** The TLS facts of a connection made earlier to {@code chosen}, or none when it speaks no TLS. */
    private static TlsSession tlsOf(Channel connection, DefaultServer chosen) {
        return chosen.tls() == null ? null : connection.attr(TlsSession.ATTRIBUTE).get();
    }

    /**
     * Gives back a connection the codec is done with: a stream of a multiplexed connection is
     * closed (the connection stays shared); a connection that may serve again goes to the pool, or
     * with {@code http-reuse never} to the client's session; any other is closed.
     */
    static void release(DefaultStream stream, UpstreamConnection connection, boolean reusable) {
        Channel channel = connection.channel();
        if (channel.parent() != null) {
            // Closing a stream's channel ends the stream (resets it when unfinished).
            channel.close();
            return;
        }
        DefaultSession session = stream.session();
        if (!reusable || !channel.isActive() || session.draining()) {
            channel.close();
            return;
        }
        // A counter per connection, changed in place: an Integer per release was made on every
        // request once a connection had served 128 (outside the JDK's cache of small Integers).
        AtomicInteger count = channel.attr(USES).get();
        if (count == null) {
            count = new AtomicInteger();
            channel.attr(USES).set(count);
        }
        // Only the connection's loop releases it: a plain read and write.
        int uses = count.getPlain() + 1;
        count.setPlain(uses);
        DefaultBackend backend = stream.backend();
        if (backend.httpReuse() == HttpReuse.NEVER) {
            session.park(backend, connection);
            return;
        }
        UpstreamPool pool = backend.pool(session.loop().index());
        if (pool == null || !pool.offer(connection.key(), channel, uses)) {
            channel.close();
        }
    }
}
