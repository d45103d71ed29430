package io.luagate.spi.proxy;

import io.luagate.spi.rule.ErrorPages;
import io.luagate.spi.rule.ReplyTemplate;
import java.util.List;

/**
 * A configured backend: a set of servers and how to reach them. Its settings are immutable after
 * start (a stream's rule engine runs its compiled rule lists and filters); its servers' states may
 * change (see {@link Server}).
 */
public interface Backend {

    String name();

    /** The codec's mode, for example {@code "http"}. */
    String mode();

    /** The servers, in configuration order. */
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

    /** The backend's counters now. */
    TrafficStats stats();
}
