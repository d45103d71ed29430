package io.luagate.spi.proxy;

import io.luagate.spi.rule.ErrorPages;
import io.luagate.spi.rule.ReplyTemplate;
import java.util.List;
import java.util.Map;

/**
 * A configured backend: a set of servers and how to reach them. Its settings are immutable after
 * start (a stream's rule engine runs its compiled rule lists and filters); its servers' states may
 * change (see {@link Server}), and servers may be added and removed ({@link #addServer},
 * {@link #removeServer}).
 */
public interface Backend {

    String name();

    /** The codec's mode, for example {@code "http"}. */
    String mode();

    /**
     * The servers now, in configuration order, those added at run time last: an immutable snapshot,
     * replaced (never changed) when a server is added or removed.
     */
    List<? extends Server> servers();

    /** Time allowed for a TCP connect to a server ({@code timeout.connect}), in ms. */
    long connectTimeoutMillis();

    /** Server inactivity while the proxy waits for the server ({@code timeout.server}), in ms. */
    long serverTimeoutMillis();

    /** Inactivity allowed in both directions once a stream became a tunnel; 0 = use client/server timeouts. */
    long tunnelTimeoutMillis();

    /** How many extra connect attempts a stream may make after a failed one ({@code retries}). */
    int retries();

    /**
     * {@code global.tune.http.maxhdr}: a response may carry one header line fewer than this; one
     * with more is a 502 (HAProxy's count, see {@link Frontend#maxHeaders()}).
     */
    default int maxHeaders() {
        return 101;
    }

    /** The {@code http-reuse} policy for idle upstream connections. */
    HttpReuse httpReuse();

    /** Whether the request body is held back before this backend's rules run ({@code http-buffer-request}). */
    boolean httpBufferRequest();

    /** Whether to add {@code X-Forwarded-For} with the client address ({@code forwardfor}). */
    boolean forwardFor();

    /** Its own error pages ({@code errorfile}): they win over the frontend's for its streams. */
    default ErrorPages errorPages() {
        return ErrorPages.NONE;
    }

    /** Its HTTP connection mode ({@code connection-mode}; see {@link ConnectionMode} for how the two proxies combine). */
    default ConnectionMode connectionMode() {
        return ConnectionMode.KEEP_ALIVE;
    }

    /** Its {@code option forwardfor} with its arguments, or {@code null} when it has none. */
    default ForwardFor forwardForOption() {
        return forwardFor() ? ForwardFor.DEFAULT : null;
    }

    /**
     * How long {@code tcp-response content} rules may wait for server data before they must decide
     * ({@code tcp-response inspect-delay}); 0: they run once, when the server connection is made.
     */
    default long tcpResponseInspectDelayMillis() {
        return 0;
    }

    /**
     * This backend's reply for the proxy's own answers with {@code status} ({@code http-error}),
     * or {@code null}; it wins over the frontend's once the backend is chosen.
     */
    default ReplyTemplate errorReply(int status) {
        return null;
    }

    /**
     * How long {@code http-request tarpit} holds a request in this backend's rules: its
     * {@code timeout.tarpit}, else its {@code timeout.connect} (HAProxy's fallback).
     */
    default long tarpitTimeoutMillis() {
        return connectTimeoutMillis();
    }

    /**
     * Adds a server at run time (HAProxy's {@code add server}), written with the keys a configured
     * server's object takes ({@code address}, {@code weight}, {@code backup}, {@code ssl},
     * {@code proto}..., as strings, numbers or booleans) over the configuration's server defaults.
     * As in HAProxy, the new server starts in {@link ServerAdmin#MAINT}: put it
     * {@link ServerAdmin#READY} to give it traffic. Every event loop's balancer is rebuilt over the
     * new list on its own loop, so the server is picked from that loop's next stream on; its
     * counters and metrics start at 0. Safe to call from any thread; never from an event loop
     * (a TLS server's certificates are read from files).
     *
     * @param name the server's name, unique in the backend
     * @param keys the server's keys
     * @return the new server
     * @throws IllegalArgumentException with HAProxy's text when the name is taken
     *         ({@code "Already exists a server with the same name in backend."}) or a key is wrong
     *         (naming the key)
     * @throws UnsupportedOperationException when this backend cannot change its servers
     */
    default Server addServer(String name, Map<String, ?> keys) {
        throw new UnsupportedOperationException("backend " + name() + " cannot add servers at run time");
    }

    /**
     * Removes a server at run time (HAProxy's {@code del server}): only a server in
     * {@link ServerAdmin#MAINT} that no stream uses may go. Every event loop's balancer is rebuilt
     * without it on its own loop; its metrics are removed. Its name may then be used again.
     *
     * @throws IllegalArgumentException {@code "No such server."}
     * @throws IllegalStateException {@code "Only servers in maintenance mode can be deleted."} or
     *         {@code "Server still has connections attached to it, cannot remove it."}, HAProxy 2.6's texts
     * @throws UnsupportedOperationException when this backend cannot change its servers
     */
    default void removeServer(String name) {
        throw new UnsupportedOperationException("backend " + name() + " cannot remove servers at run time");
    }

    /** The backend's counters now. */
    TrafficStats stats();
}
