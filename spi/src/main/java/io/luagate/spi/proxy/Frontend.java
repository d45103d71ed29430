package io.luagate.spi.proxy;

import io.luagate.spi.rule.ErrorPages;
import io.luagate.spi.rule.ReplyTemplate;
import java.util.List;

/**
 * A configured frontend: where clients connect. Its settings and rules are immutable after start
 * (a stream's rule engine runs its compiled rule lists and filters); only its listening state
 * changes ({@link #pause}, {@link #resume}, {@link #stop}). Safe to use from any thread.
 */
public interface Frontend {

    String name();

    /** The codec's mode, for example {@code "http"}. */
    String mode();

    /** Client inactivity while the proxy waits for the client ({@code timeout.client}), in ms. */
    long clientTimeoutMillis();

    /** Time allowed to receive a complete request head ({@code timeout.http-request}), in ms. */
    long httpRequestTimeoutMillis();

    /** Idle time allowed between two requests of one connection ({@code timeout.http-keep-alive}), in ms. */
    long httpKeepAliveTimeoutMillis();

    /**
     * This frontend's reply for its own answers with {@code status} ({@code http-error}), or
     * {@code null} for the built-in page. See {@link io.luagate.spi.rule.ErrorPages#forStream}.
     */
    default ReplyTemplate errorReply(int status) {
        return null;
    }

    /** How long {@code http-request tarpit} holds a request in this frontend's rules ({@code timeout.tarpit}); 0: not at all. */
    default long tarpitTimeoutMillis() {
        return 0;
    }

    /**
     * How long {@code tcp-request content} rules may wait for client data before they must
     * decide ({@code tcp-request inspect-delay}); 0: they run once, at accept, without data.
     */
    long tcpInspectDelayMillis();

    /** Whether the request body is held back (up to {@link #bufferSize()}) before this frontend's rules run. */
    boolean httpBufferRequest();

    /** How much of a request body is held back for rules at most ({@code global.tune.bufsize}). */
    int bufferSize();

    /** Largest request head accepted, in bytes; a larger one gets a 431/400. */
    int maxHeaderSize();

    /**
     * {@code global.tune.http.maxhdr}: a message may carry one header line fewer than this
     * (HAProxy keeps a slot for the end of the list); a request with more gets 400.
     */
    default int maxHeaders() {
        return 101;
    }

    /** Its own error pages ({@code errorfile}), which a backend's own pages override. */
    default ErrorPages errorPages() {
        return ErrorPages.NONE;
    }

    /** Its HTTP connection mode ({@code connection-mode}; see {@link ConnectionMode} for how the two proxies combine). */
    default ConnectionMode connectionMode() {
        return ConnectionMode.KEEP_ALIVE;
    }

    /** Its {@code option forwardfor} with its arguments, or {@code null} when it has none. */
    default ForwardFor forwardForOption() {
        return null;
    }

    /**
     * The request header that carries the stream's unique id to the server ({@code unique-id-header},
     * with a {@code unique-id-format}): added, as HAProxy adds it, after the backend's
     * {@code http-request} rules and before {@code X-Forwarded-For}; {@code null} when none.
     */
    default String uniqueIdHeader() {
        return null;
    }

    /** Its {@code bind} entries, in configuration order. */
    List<? extends Listener> listeners();

    /**
     * Stops accepting connections (HAProxy's {@code disable frontend}): the listening sockets close,
     * releasing their ports, so new connections are refused until {@link #resume}; open connections
     * go on. Returns at once; the sockets close on their event loops just after. No effect once stopped.
     */
    void pause();

    /**
     * Listens again on the same addresses after {@link #pause} (accepting as far as
     * {@code global.maxconn} allows). Returns at once; if an address cannot be bound again (another
     * process took the port) the failure is logged and the frontend stays paused, as in HAProxy.
     */
    void resume();

    /**
     * Closes its listening sockets for good (HAProxy's {@code shutdown frontend}): new connections
     * are refused, open ones go on. Cannot be undone.
     */
    void stop();

    /** Whether {@link #pause} holds it (and {@link #stop} did not end it). */
    boolean paused();

    /** Whether {@link #stop} ended it. */
    boolean stopped();

    /** Its stats page ({@code stats-uri} and the keys around it), or {@code null} when it serves none. */
    default StatsPageSettings statsPage() {
        return null;
    }

    /** The frontend's counters now. */
    TrafficStats stats();
}
