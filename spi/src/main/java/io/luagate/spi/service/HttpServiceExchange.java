package io.luagate.spi.service;

import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Transaction;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One request handed to an {@link HttpService}: the request as received, and the response the
 * service streams back. Every method must be called on the stream's event loop.
 *
 * <p>A response is {@link #start started} once, {@link #write written} any number of times and
 * {@link #end ended} once. Without a {@code content-length} header among the started headers, the
 * body is sent chunked (HTTP/1.1) or delimited by closing the connection (HTTP/1.0).
 */
public interface HttpServiceExchange {

    /** What a service that streams the request body is told. */
    interface BodyReceiver {

        /** A part of the body (the array is the receiver's). */
        void data(byte[] bytes);

        /** The body ended (at once when there is none), or the client went away. */
        void end();
    }

    /** The stream's transaction: request head, variables, log. */
    Transaction transaction();

    /**
     * Calls {@code receiver} once with the whole request body ({@code byte[0]} when there is
     * none), as soon as it has arrived. A body larger than {@code tune.bufsize} is refused with
     * 413 before the receiver is called.
     */
    void body(Consumer<byte[]> receiver);

    /**
     * Streams the request body to {@code receiver}: what arrived before first, then each part as it
     * comes, then the end. No size limit applies; {@link #reading} gives backpressure. Use this or
     * {@link #body}, once.
     */
    void receive(BodyReceiver receiver);

    /** Stops (false) or resumes (true) reading the request body from the client. */
    void reading(boolean on);

    /** Sends the status line and headers (names and values in order). */
    void start(int status, String reason, List<Map.Entry<String, String>> headers);

    /** Whether {@link #start} was called. */
    boolean started();

    /**
     * Sends part of the body.
     *
     * @return whether more may be written now; when {@code false}, wait for {@link #onWritable}
     */
    boolean write(byte[] data);

    /** Runs {@code task} once the client connection can take more data (at once if it can now). */
    void onWritable(Runnable task);

    /** Ends the response; the connection stays open for the next request when it can. */
    void end();

    /** Sends {@code reply} as the whole response: start, write and end in one. */
    void reply(HttpReply reply);

    /**
     * Gives up: before {@link #start} the client gets {@code 500}; after it, the connection is
     * closed (the client sees a truncated response).
     */
    void fail();

    /** Runs {@code task} on the event loop if the client goes away before {@link #end}. */
    void onClose(Runnable task);
}
