package io.luagate.spi.stream;

import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.rule.RuleEngine;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.VarScope;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * One request (HTTP) or one connection (TCP) going through the proxy. The kernel owns its
 * lifecycle: backend and server choice, the upstream connect with its retries, tunnels, and the
 * access-log line written when it {@link #end() ends}. The codec reports what it sees.
 *
 * <p>Confined to the session's event loop.
 */
public interface Stream {

    Session session();

    /**
     * Chooses the backend: the frontend's {@code use-backend} rules (evaluated on {@code txn}),
     * then its default backend.
     *
     * @return the backend, or {@code null} when none applies (the codec answers 503)
     */
    Backend route(Transaction txn);

    /**
     * The TLS facts of the server connection this stream got last (new or reused): what HAProxy's
     * {@code ssl_bc*} fetches read. {@code null} before a connect or to a server without TLS.
     */
    default io.luagate.spi.tls.TlsSession serverTls() {
        return null;
    }

    /** The backend chosen by {@link #route}, or {@code null}. */
    Backend backend();

    /**
     * The destination address of the stream: where the client connected, unless a rule changed it
     * ({@code set-dst}, {@code set-dst-port}). Servers written {@code 0.0.0.0:0} connect there.
     */
    InetSocketAddress destination();

    void setDestination(InetSocketAddress destination);

    /**
     * The client's address as rules, logs and {@code forwardfor} see it: the connection's, unless a
     * rule of this stream changed it ({@code set-src}, {@code set-src-port}). As in HAProxy 2.6 the
     * change lasts for this stream only: the connection's next request starts from its own address.
     */
    InetSocketAddress source();

    void setSource(InetSocketAddress source);

    /** The server of the current upstream connection, or {@code null}. */
    Server server();

    /**
     * Gets an upstream connection for the chosen backend: an idle pooled one when {@code policy}
     * allows it, else a new one, trying the next server on connect failures up to the backend's
     * {@code retries}. The listener runs on this stream's event loop.
     */
    void connect(ReusePolicy policy, ConnectListener listener);

    /**
     * Gives an upstream connection back. A reusable one goes to its pool (or stays with the
     * session, under {@code http-reuse never}); any other is closed.
     */
    void release(UpstreamConnection connection, boolean reusable);

    /**
     * Turns the client connection and {@code upstream} into a bidirectional byte tunnel (TCP mode,
     * or HTTP after a protocol upgrade). The codec must have removed its own handlers first. The
     * stream ends when both directions are closed or the tunnel times out.
     */
    void tunnel(Channel upstream);

    /** A variable of this stream (txn, req, res), its session (sess) or the process (proc); {@code null} if unset. */
    Object var(VarScope scope, String name);

    /** Sets a variable in its scope; {@code null} unsets it. */
    void setVar(VarScope scope, String name, Object value);

    /**
     * The request's processing is over: its {@code req.*} variables are dropped, and from now on
     * reading one finds nothing and setting one does nothing. HAProxy does this when the stream
     * asks for a server connection, or else when the {@code http-after-response} rules start (a
     * service's response still sees them in {@code http-response} rules). Idempotent.
     */
    void endRequestScope();

    /**
     * The transaction of this stream, as the codec implements it; {@code log-format} expressions
     * are evaluated on it when the stream ends.
     */
    void transaction(Transaction txn);

    /**
     * The rule engine of this stream: it runs the rule lists of its frontend and (once chosen) its
     * backend, and attaches their filters. The same object for the whole stream.
     */
    RuleEngine rules();

    /**
     * The request line as received, as HAProxy keeps it for its log and its {@code capture.req.method}
     * and {@code capture.req.uri} fetches: {@code null} when the frontend keeps none
     * ({@code capture-request-line = false}) or before a request head.
     */
    default String capturedRequestLine() {
        return requestLine();
    }

    /** The request line as received, kept for the log; {@code null} before it (or when there is none). */
    default String requestLine() {
        return null;
    }

    /**
     * What capture slot {@code slot} of the request (or response) holds, HAProxy's captures
     * ({@code http-request capture}); {@code null} when nothing was captured there.
     */
    default String capture(boolean response, int slot) {
        return null;
    }

    /** Fills capture slot {@code slot} of the request (or response). */
    default void capture(boolean response, int slot, String value) {
        throw new UnsupportedOperationException("this stream keeps no captures");
    }

    /**
     * The stream's unique id (HAProxy's {@code unique-id-format} of its frontend): made the first
     * time it is asked for (a rule, a fetch, the request's {@code unique-id-header}, the log line),
     * then kept for the stream; {@code null} when the frontend has no format.
     */
    default String uniqueId() {
        return null;
    }

    /** Records that the request head was received (the Tq timer). */
    void requestReceived(String requestLine);

    /**
     * Records that the request head was received (the Tq timer), with the three words of its
     * request line as received: a stream that can keeps them and joins them only when a log, a
     * capture or a fetch asks for the line.
     */
    default void requestReceived(String method, String uri, String version) {
        requestReceived(method + ' ' + uri + ' ' + version);
    }

    /** Records that the response head was received (the Tr timer) with its status. */
    void responseReceived(int status);

    /** Records the status actually sent to the client (after rewriting, or for a proxy error). */
    void status(int status);

    void addBytesFromClient(long n);

    void addBytesToClient(long n);

    /** Records why the stream ended abnormally; the first cause reported wins. */
    void terminate(TerminationCause cause, StreamPhase phase);

    /** Whether the access-log line is suppressed ({@code set-log-level silent}). */
    void silent(boolean silent);

    /** Ends the stream: writes its access-log line. Idempotent. */
    void end();

    /** Whether {@link #end()} ran. */
    boolean ended();
}
