package io.luagate.spi.rule;

import io.luagate.spi.http.HttpHead;
import io.luagate.spi.sample.VarScope;
import io.luagate.spi.service.HttpService;
import io.luagate.spi.service.TcpService;
import io.luagate.spi.stream.Stream;

/**
 * What rules and scripts may read and do during one stream: its messages, its variables, and
 * answering in place of the server. Implemented by codecs; used on the stream's event loop only.
 */
public interface Transaction {

    Stream stream();

    /** Answers the client with {@code reply} instead of forwarding the request. */
    void reply(HttpReply reply);

    /** The request head (HTTP mode), or {@code null} in TCP mode. */
    HttpHead request();

    /** The response head once it arrived (HTTP mode), else {@code null}. */
    HttpHead response();

    /**
     * The request data the proxy holds back for the rules: the HTTP body received so far
     * ({@code http-buffer-request}), or in TCP mode the bytes received while
     * {@code tcp-request content} rules inspect ({@code inspect-delay}); {@code null} otherwise.
     */
    byte[] requestBody();

    /**
     * Called by a fetch whose answer may change when more request data arrives ({@code req.len},
     * a {@code req.payload} beyond what arrived) while the rules can still wait for it.
     */
    default void markMayChange() {
    }

    /** How many times {@link #markMayChange()} took effect; a condition compares before and after. */
    default int mayChangeMarks() {
        return 0;
    }

    /**
     * Lets the running action finish later; it must then return {@link Verdict#PENDING}.
     *
     * @throws UnsupportedOperationException where the rules cannot wait (the codec does not support it)
     */
    default Suspension suspend() {
        throw new UnsupportedOperationException("this stream cannot wait for an action");
    }

    /**
     * Hands the stream to {@code service} ({@code http-request use-service}); the action then
     * returns {@link Verdict#STOP}.
     */
    default void serve(HttpService service) {
        throw new UnsupportedOperationException("HTTP services need an HTTP stream");
    }

    /** Hands the stream to {@code service} ({@code tcp-request content use-service}). */
    default void serve(TcpService service) {
        throw new UnsupportedOperationException("TCP services need a TCP stream");
    }

    /**
     * The held-back bytes of one direction ({@code txn.req}, {@code txn.res}), or {@code null} when
     * this stream has none to offer. Every call sees the same bytes, for the whole stream.
     */
    default ChannelBuffer channel(boolean response) {
        return null;
    }

    /**
     * {@code tcp-response content close}: closes the server connection now; what the rules held
     * back still goes to the client, whose connection then closes too.
     *
     * @throws UnsupportedOperationException where there is no server connection to close
     */
    default void closeServer() {
        throw new UnsupportedOperationException("no server connection to close here");
    }

    /**
     * {@code http-request tarpit}: holds the request for {@code delayMillis} without blocking, then
     * answers {@code reply} (logged {@code PT}); the action then returns {@link Verdict#PENDING}.
     * The client closing meanwhile ends the stream.
     *
     * @throws UnsupportedOperationException where there is no HTTP request to hold
     */
    default void tarpit(HttpReply reply, long delayMillis) {
        throw new UnsupportedOperationException("tarpit needs an HTTP stream");
    }

    /**
     * {@code http-request early-hint}: adds a header to the pending {@code 103 Early Hints} interim
     * response, starting one if none is pending; {@code last} sends it (HAProxy groups consecutive
     * early-hint rules into one 103). HTTP/1.0 clients get none.
     */
    default void earlyHint(String name, String value, boolean last) {
        throw new UnsupportedOperationException("early hints need an HTTP stream");
    }

    /**
     * {@code http-request reject}: closes the client connection at once, without a response; the
     * action then returns {@link Verdict#STOP}.
     */
    default void reject() {
        throw new UnsupportedOperationException("reject needs an HTTP stream");
    }

    /** A variable's value, or {@code null} when it is not set. Variables live where their scope lives: the stream's. */
    default Object var(VarScope scope, String name) {
        return stream().var(scope, name);
    }

    /** Sets a variable; a {@code null} value unsets it. */
    default void setVar(VarScope scope, String name, Object value) {
        stream().setVar(scope, name, value);
    }
}
