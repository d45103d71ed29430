package io.luagate.spi.service;

import io.luagate.spi.rule.Transaction;

/**
 * One TCP client connection handed to a {@link TcpService}. Bytes the client sends are pushed to
 * the {@link Receiver}; reading pauses while the receiver asks it to. Every method must be called
 * on the connection's event loop.
 */
public interface TcpServiceExchange {

    /** What the service is told about the client's side. */
    interface Receiver {

        /** Bytes from the client (the array is the receiver's). */
        void data(byte[] bytes);

        /** The client closed its side (or the connection broke): no more data will come. */
        void end();
    }

    /** The stream's transaction: addresses, variables, log. */
    Transaction transaction();

    /**
     * Sets the receiver and starts reading. The bytes that arrived while the rules inspected the
     * connection are delivered first.
     */
    void receive(Receiver receiver);

    /** Stops (false) or resumes (true) reading from the client: backpressure for a slow service. */
    void reading(boolean on);

    /**
     * Sends bytes to the client.
     *
     * @return whether more may be written now; when {@code false}, wait for {@link #onWritable}
     */
    boolean write(byte[] data);

    /** Runs {@code task} once the connection can take more data (at once if it can now). */
    void onWritable(Runnable task);

    /** Flushes what was written and closes the connection. */
    void close();
}
